import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { randomBytes } from "node:crypto";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  GetPublicationRequestSchema,
  PublicationApi,
  PublicationSchema,
  PullPublicationResponseSchema,
} from "../gen/smartcore/traits/publication_pb.js";
import { frame, parseFrames, trailersOf } from "./testing/grpc-web-frames.js";
import { DEFAULT_MAX_BODY_BYTES } from "./publication-server.js";
import { eventually, startTestServer, text, utf8, statusOf, type TestServer } from "./testing/test-server.js";

const API = "/smartcore.traits.PublicationApi/";
const grpcWebHeaders = { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" };

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer({ maxBodyBytes: 64 * 1024 });
});
afterEach(() => t.stop());

/** One gRPC-Web call with plain fetch: the frames and trailers of the answer. */
async function postGrpcWeb(path: string, body: Uint8Array<ArrayBuffer>) {
  const res = await fetch(t.url + path, { method: "POST", headers: grpcWebHeaders, body });
  const frames = parseFrames(new Uint8Array(await res.arrayBuffer()));
  const trailers = trailersOf(res.headers, frames);
  return { res, frames, data: frames.filter((f) => f.flag === 0), status: Number(trailers.get("grpc-status")), trailers };
}

describe("gRPC-Web on the wire, framed by hand (no Connect client)", () => {
  it("creates a publication from hand-encoded bytes and answers one data frame then grpc-status 0", async () => {
    // CreatePublicationRequest{publication: Publication{id: "hand", body: "hi"}}, encoded from the field table:
    // field 2 (publication, LEN) → 0x12; inside: field 1 (id) → 0x0a, field 3 (body) → 0x1a.
    const request = new Uint8Array([0x12, 0x0a, 0x0a, 0x04, ...utf8("hand"), 0x1a, 0x02, ...utf8("hi")]);
    const { res, data, status } = await postGrpcWeb(`${API}CreatePublication`, frame(request));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/grpc-web+proto");
    expect(status).toBe(0);
    expect(data).toHaveLength(1);
    const created = fromBinary(PublicationSchema, data[0]!.payload);
    expect(created.id).toBe("hand");
    expect(text(created.body)).toBe("hi");
    expect(created.version).toMatch(/^[0-9a-f]{32}$/);
  });

  it("reports an error in the trailers: NOT_FOUND (5) for a missing publication", async () => {
    const request = toBinary(GetPublicationRequestSchema, create(GetPublicationRequestSchema, { id: "missing" }));
    const { data, status, trailers } = await postGrpcWeb(`${API}GetPublication`, frame(request));
    expect(data).toHaveLength(0);
    expect(status).toBe(Code.NotFound);
    expect(decodeURIComponent(trailers.get("grpc-message") ?? "")).toContain("missing");
  });

  it("streams PullPublication frames as they happen", async () => {
    await t.client.createPublication({ publication: { id: "s", body: utf8("v1") } });
    const abort = new AbortController();
    // PullPublicationRequest{id: "s"}: field 2 → 0x12.
    const res = await fetch(`${t.url}${API}PullPublication`, {
      method: "POST",
      headers: grpcWebHeaders,
      body: frame(new Uint8Array([0x12, 0x01, ...utf8("s")])),
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    let buffered = new Uint8Array();
    const nextFrame = async () => {
      for (;;) {
        if (buffered.length >= 5) {
          const length = new DataView(buffered.buffer, buffered.byteOffset + 1, 4).getUint32(0);
          if (buffered.length >= 5 + length) {
            const [first] = parseFrames(buffered.subarray(0, 5 + length));
            buffered = buffered.subarray(5 + length);
            return first!;
          }
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffered = new Uint8Array([...buffered, ...value]);
      }
    };
    const first = await nextFrame();
    expect(first.flag).toBe(0);
    expect(text(fromBinary(PullPublicationResponseSchema, first.payload).changes[0]!.publication!.body)).toBe("v1");
    await t.client.updatePublication({ publication: { id: "s", body: utf8("v2") } });
    const second = await nextFrame();
    expect(text(fromBinary(PullPublicationResponseSchema, second.payload).changes[0]!.publication!.body)).toBe("v2");
    abort.abort();
    await reader.cancel().catch(() => {});
  });
});

describe("the Connect protocol", () => {
  it("serves the same API to a Connect client", async () => {
    const connect = createClient(PublicationApi, createConnectTransport({ baseUrl: t.url, httpVersion: "1.1" }));
    const created = await connect.createPublication({ publication: { id: "c", body: utf8("x") } });
    expect((await t.client.getPublication({ id: "c" })).version).toBe(created.version);
    expect(await statusOf(connect.getPublication({ id: "nope" }))).toBe(Code.NotFound);
  });

  it("answers an unknown method with HTTP 404 and the unimplemented error body", async () => {
    const res = await fetch(`${t.url}${API}NoSuchMethod`, {
      method: "POST",
      headers: { "content-type": "application/json", "connect-protocol-version": "1" },
      body: "{}",
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: "unimplemented" });
  });
});

describe("bad input gets a gRPC status and the server keeps serving", () => {
  it("answers each malformed request with its code", async () => {
    const cases: { name: string; path: string; body: Uint8Array<ArrayBuffer>; code: Code }[] = [
      { name: "truncated frame header", path: "GetPublication", body: new Uint8Array([0, 0, 0]), code: Code.InvalidArgument },
      { name: "frame longer than the body", path: "GetPublication", body: new Uint8Array([0, 0, 0, 0, 50, 1]), code: Code.InvalidArgument },
      // Undecodable message: INTERNAL, as grpc-go servers answer ("error unmarshalling request").
      { name: "undecodable message", path: "GetPublication", body: frame(new Uint8Array([0xff, 0xff, 0xff])), code: Code.Internal },
      { name: "undecodable stream request", path: "PullPublication", body: frame(new Uint8Array([0xff, 0xff])), code: Code.Internal },
      { name: "compressed frame without an encoding", path: "GetPublication", body: frame(new Uint8Array([0x12, 1, 0x61]), 0x01), code: Code.Internal },
      { name: "oversized message", path: "CreatePublication", body: frame(new Uint8Array(64 * 1024 + 1)), code: Code.ResourceExhausted },
      { name: "oversized length announced", path: "CreatePublication", body: new Uint8Array([0, 0x7f, 0xff, 0xff, 0xff]), code: Code.ResourceExhausted },
      { name: "unknown method", path: "NoSuchMethod", body: frame(new Uint8Array()), code: Code.Unimplemented },
    ];
    for (const c of cases) {
      const { status } = await postGrpcWeb(API + c.path, c.body);
      expect({ name: c.name, status }).toEqual({ name: c.name, status: c.code });
    }
    const unknownService = await postGrpcWeb("/other.Service/Method", frame(new Uint8Array()));
    expect(unknownService.status).toBe(Code.Unimplemented);

    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    await t.client.createPublication({ publication: { id: "still-serving" } });
    expect(t.logs.filter((line) => line.includes("outcome=rejected")).length).toBeGreaterThan(0);
  });

  it("answers RESOURCE_EXHAUSTED to a Connect client sending more than the default 4 MiB limit", async () => {
    const server = await startTestServer();
    try {
      const big = new Uint8Array(DEFAULT_MAX_BODY_BYTES + 1);
      expect(await statusOf(server.client.createPublication({ publication: { id: "big", body: big } }))).toBe(Code.ResourceExhausted);
      const fits = new Uint8Array(DEFAULT_MAX_BODY_BYTES - 1024);
      expect((await server.client.createPublication({ publication: { id: "fits", body: fits } })).body.length).toBe(fits.length);
    } finally {
      await server.stop();
    }
  });
});

describe("CORS, health and stats", () => {
  it("answers a preflight from any origin with connect's header lists plus authorization", async () => {
    const res = await fetch(`${t.url}${API}GetPublication`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-grpc-web,x-user-agent,authorization",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    const allowed = res.headers.get("access-control-allow-headers")!.toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(["content-type", "x-grpc-web", "x-user-agent", "authorization", "grpc-timeout"]));
  });

  it("allows a grpc-web-text request in the preflight, as protobuf-ts and Google's grpc-web send it", async () => {
    const res = await fetch(`${t.url}${API}GetPublication`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-grpc-web" },
    });
    expect(res.status).toBe(204);
    const allowed = res.headers.get("access-control-allow-headers")!.toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(["content-type", "x-grpc-web", "accept"]));
  });

  it("lets browsers read grpc-status on real responses", async () => {
    const res = await fetch(`${t.url}${API}GetPublication`, {
      method: "POST",
      headers: { ...grpcWebHeaders, origin: "http://dashboard.example" },
      body: frame(new Uint8Array([0x12, 0x01, 0x61])),
    });
    await res.arrayBuffer();
    expect(res.headers.get("access-control-allow-origin")).toBe("http://dashboard.example");
    expect(res.headers.get("access-control-expose-headers")!.toLowerCase()).toContain("grpc-status");
  });

  it("answers /healthz, and counts calls and open streams per method in /debug/stats", async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    await t.client.createPublication({ publication: { id: "a" } });
    await t.client.getPublication({ id: "a" }).catch(() => {});
    const abort = new AbortController();
    const streams = [
      t.client.pullPublication({ id: "a" }, { signal: abort.signal }),
      t.client.pullPublication({ id: "b" }, { signal: abort.signal }),
      t.client.pullPublications({}, { signal: abort.signal }),
    ].map(async (s) => {
      for await (const _ of s);
    });
    const stats = async () =>
      (await (await fetch(`${t.url}/debug/stats`)).json()) as {
        openStreams: Record<string, number>;
        calls: Record<string, number>;
        bytesSent: Record<string, number>;
        streamsWaitingOnClient: Record<string, number>;
      };
    await eventually(async () => (await stats()).openStreams.PullPublication === 2);
    const open = await stats();
    expect(open.openStreams).toEqual({ PullPublication: 2, PullPublications: 1 });
    expect(open.calls).toMatchObject({ CreatePublication: 1, GetPublication: 1, PullPublication: 2, PullPublications: 1, ListPublications: 0 });
    expect(open.streamsWaitingOnClient).toEqual({ PullPublication: 0, PullPublications: 0 }); // these clients read
    expect(Object.keys(open.bytesSent).sort()).toEqual(Object.keys(open.calls).sort());

    abort.abort();
    await Promise.allSettled(streams);
    await eventually(async () => (await stats()).openStreams.PullPublication === 0);
    expect((await stats()).openStreams).toEqual({ PullPublication: 0, PullPublications: 0 });
    expect(t.logs.filter((line) => line.startsWith("PullPublication ")).every((line) => line.includes("outcome=canceled"))).toBe(true);
  });

  it("counts the response body bytes sent per method, exactly what the client received", async () => {
    // Random bytes: Connect's client accepts gzip, and the server compresses what it can.
    await t.client.createPublication({ publication: { id: "a", body: new Uint8Array(randomBytes(1000)) } });
    const before = t.server.stats().bytesSent;
    const get = await postGrpcWeb(`${API}GetPublication`, frame(new Uint8Array([0x12, 0x01, 0x61])));
    const received = get.frames.reduce((sum, f) => sum + 5 + f.payload.length, 0);
    const after = t.server.stats().bytesSent;
    expect(after.GetPublication! - before.GetPublication!).toBe(received);
    expect(received).toBeGreaterThan(1000);
    expect(after.ListPublications).toBe(before.ListPublications); // other methods untouched

    // A stream's bytes count as they are written: the opening value, then each update.
    const abort = new AbortController();
    const stream = t.client.pullPublication({ id: "a" }, { signal: abort.signal })[Symbol.asyncIterator]();
    await stream.next();
    const opened = t.server.stats().bytesSent.PullPublication!;
    expect(opened).toBeGreaterThan(1000);
    await t.client.updatePublication({ publication: { id: "a", body: new Uint8Array(10) } });
    await stream.next();
    expect(t.server.stats().bytesSent.PullPublication!).toBeGreaterThan(opened + 10);
    abort.abort();
  });

  it("logs one line per call with method, id, outcome, duration and open streams", async () => {
    await t.client.getPublication({ id: "nope" }).catch(() => {});
    expect(t.logs).toContainEqual(expect.stringMatching(/^GetPublication id="nope" outcome=not_found \d+ms open_streams=0$/));
  });
});
