import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { PublicationApi } from "../../src/gen/smartcore/traits/publication_pb.js";

export interface Published {
  readonly version: string;
  /** The server's commit time (`publish_time`), ms since the epoch. */
  readonly publishTimeMs: number;
}

/**
 * Publishes in-process over gRPC-Web (what `npm run pub` does, without
 * spawning a process per update, which would take a second each). `ca`: the
 * CA to trust for an HTTPS server (as `npm run pub -- --ca`).
 */
export function createPublisher(server: string, device = "", ca?: string) {
  const transport = createGrpcWebTransport({ baseUrl: server, httpVersion: "1.1", ...(ca !== undefined && { nodeOptions: { ca } }) });
  const client = createClient(PublicationApi, transport);
  return async function publish(id: string, text: string, mediaType = "text/plain"): Promise<Published> {
    const publication = { id, body: new TextEncoder().encode(text), mediaType };
    let result;
    try {
      result = await client.updatePublication({ name: device, publication });
    } catch (error) {
      if (ConnectError.from(error).code !== Code.NotFound) throw error;
      result = await client.createPublication({ name: device, publication });
    }
    if (!result.publishTime) throw new Error(`the server set no publish_time on ${id}`);
    return { version: result.version, publishTimeMs: timestampMs(result.publishTime) };
  };
}
