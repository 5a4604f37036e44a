import { connect as tlsConnect } from "node:tls";
import { request as httpsRequest } from "node:https";
import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import { systemClock } from "../platform/system-clock.js";
import { startTestServer, type TestServer } from "./testing/test-server.js";
import { loadServerTls, type ServerTls } from "./tls/server-tls.js";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

let t: TestServer;
let tls: ServerTls;
beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "pubserver-tls-"));
  tls = await loadServerTls(dataDir, { kind: "development", names: ["localhost", "127.0.0.1"] }, systemClock);
  t = await startTestServer({ dataDir, tls });
});
afterAll(() => t.stop());

const caPem = () => tls.developmentCa!.caPem;
const client = (httpVersion: "2" | "1.1") =>
  createClient(PublicationApi, createGrpcWebTransport({ baseUrl: t.url, httpVersion, nodeOptions: { ca: caPem() } }));

/** Plain HTTPS GET trusting the development CA: status, content type and body. */
function get(path: string): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    httpsRequest(`${t.url}${path}`, { ca: caPem() }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => void (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], body }));
    })
      .on("error", reject)
      .end();
  });
}

/** The TLS handshake's outcome for one client offer. */
function handshake(options: { ALPNProtocols?: string[]; maxVersion?: "TLSv1.1" | "TLSv1.3" }) {
  const { port } = new URL(t.url);
  return new Promise<{ alpn: string | false; version: string | null }>((resolve, reject) => {
    const socket = tlsConnect({ host: "127.0.0.1", port: Number(port), servername: "localhost", ca: caPem(), ...options }, () => {
      resolve({ alpn: socket.alpnProtocol ?? false, version: socket.getProtocol() });
      socket.end();
    });
    socket.on("error", reject);
  });
}

describe("the development server over HTTPS (--tls)", () => {
  it("serves the API over HTTP/2 and HTTP/1.1 from one https URL, and says which in /debug/stats", async () => {
    expect(t.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await client("2").createPublication({ publication: { id: "over-h2" } });
    const before = t.server.stats().protocols;
    const fetched = await client("1.1").getPublication({ id: "over-h2" });
    expect(fetched.id).toBe("over-h2");
    const after = t.server.stats().protocols;
    expect(before.h2.requests).toBe(1);
    expect(after["http/1.1"].requests).toBe(before["http/1.1"].requests + 1);
  });

  it("counts an open stream under the protocol it came over", async () => {
    const abort = new AbortController();
    const stream = client("2").pullPublications({}, { signal: abort.signal });
    const reading = (async () => {
      try {
        for await (const _ of stream) void _;
      } catch {
        // ended by the abort below
      }
    })();
    await expect.poll(() => t.server.stats().protocols.h2.openStreams).toBe(1);
    expect(t.server.stats().protocols["http/1.1"].openStreams).toBe(0);
    abort.abort();
    await reading;
    await expect.poll(() => t.server.stats().protocols.h2.openStreams).toBe(0);
  });

  it("offers h2 and http/1.1 by ALPN and refuses TLS older than 1.2", async () => {
    expect((await handshake({ ALPNProtocols: ["h2", "http/1.1"] })).alpn).toBe("h2");
    expect((await handshake({ ALPNProtocols: ["http/1.1"] })).alpn).toBe("http/1.1");
    expect((await handshake({ maxVersion: "TLSv1.3" })).version).toBe("TLSv1.3");
    await expect(handshake({ maxVersion: "TLSv1.1" })).rejects.toThrow();
  });

  it("serves the CA certificate, never a key, at /ca.crt as a type devices install", async () => {
    const ca = await get("/ca.crt");
    expect(ca.status).toBe(200);
    expect(ca.type).toBe("application/x-x509-ca-cert");
    expect(ca.body).toBe(caPem());
    expect(ca.body).not.toContain("PRIVATE KEY");
    for (const path of ["/ca.key", "/tls/ca.key", "/tls/server.key", "/server.key"]) expect((await get(path)).body).not.toContain("PRIVATE KEY");
  });

  it("lets a page on another origin read the protocol of its calls (Timing-Allow-Origin)", async () => {
    const res = await new Promise<import("node:http").IncomingMessage>((resolve, reject) =>
      httpsRequest(`${t.url}/healthz`, { ca: caPem(), headers: { origin: "https://kiosk.test:8080" } }, resolve).on("error", reject).end(),
    );
    res.resume();
    expect(res.headers["timing-allow-origin"]).toBe("*");
  });
});
