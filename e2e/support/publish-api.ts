import { createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { PublicationApi } from "../../src/gen/smartcore/traits/publication_pb.js";

/**
 * Publishing to a test's development server through its API, in-process (no
 * CLI spawn: two cores are shared by every test). Free of any test runner:
 * the Playwright suites and the cross-browser suite (e2e/cross-browser/) use it.
 */
export function apiClient(server: string, token?: string) {
  const bearer: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
  const transport = createGrpcWebTransport({ baseUrl: server, httpVersion: "1.1", interceptors: token ? [bearer] : [] });
  return createClient(PublicationApi, transport);
}

/** Creates or updates `id`; resolves to the new version. */
export async function publishBody(
  server: string,
  id: string,
  body: Uint8Array | string,
  mediaType: string,
  token?: string,
): Promise<string> {
  const client = apiClient(server, token);
  const publication = { id, body: typeof body === "string" ? new TextEncoder().encode(body) : body, mediaType };
  try {
    return (await client.createPublication({ name: "", publication })).version;
  } catch {
    return (await client.updatePublication({ name: "", publication })).version;
  }
}

