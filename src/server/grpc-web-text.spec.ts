import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GetPublicationRequestSchema, PublicationSchema, PullPublicationResponseSchema } from "../gen/smartcore/traits/publication_pb.js";
import { frame, parseFrames, trailersOf } from "./testing/grpc-web-frames.js";
import { Base64StreamDecoder, encodeBase64Chunk, isGrpcWebText } from "./grpc-web-text.js";
import { startTestServer, text, utf8, type TestServer } from "./testing/test-server.js";

const codeOf = (run: () => unknown) => {
  try {
    run();
    return "ok";
  } catch (err) {
    return ConnectError.from(err).code;
  }
};

describe("the grpc-web-text codec", () => {
  it("encodes each chunk as padded standard base64", () => {
    expect(encodeBase64Chunk(utf8("a"))).toBe("YQ==");
    expect(encodeBase64Chunk(new Uint8Array([0xfb, 0xff]))).toBe("+/8=");
    expect(encodeBase64Chunk(new Uint8Array())).toBe("");
  });

  it("decodes a body split at any point, whatever the chunk sizes", () => {
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => (i * 37) % 256);
    const encoded = encodeBase64Chunk(bytes);
    for (let cut = 0; cut <= encoded.length; cut++) {
      const decoder = new Base64StreamDecoder();
      const out = Buffer.concat([decoder.push(encoded.slice(0, cut)), decoder.push(utf8(encoded.slice(cut)))]);
      decoder.end();
      expect(new Uint8Array(out)).toEqual(bytes);
    }
  });

  it("decodes padded base64 strings one after the other, one character per chunk too, ignoring whitespace", () => {
    const body = `${encodeBase64Chunk(utf8("a"))}${encodeBase64Chunk(utf8("bc"))}\r\n${encodeBase64Chunk(utf8("def"))}`;
    expect(body).toBe("YQ==YmM=\r\nZGVm");
    const decoder = new Base64StreamDecoder();
    const out = Buffer.concat([...body].map((c) => decoder.push(c)));
    decoder.end();
    expect(text(out)).toBe("abcdef");
  });

  it("refuses bad base64 with INVALID_ARGUMENT: a foreign character, misplaced padding, a body ending mid-group", () => {
    expect(codeOf(() => new Base64StreamDecoder().push("YQ=*"))).toBe(Code.InvalidArgument);
    expect(codeOf(() => new Base64StreamDecoder().push("YQ=a"))).toBe(Code.InvalidArgument);
    expect(codeOf(() => new Base64StreamDecoder().push("Y==="))).toBe(Code.InvalidArgument);
    const truncated = new Base64StreamDecoder();
    expect(text(truncated.push("YWJjZA"))).toBe("abc");
    expect(codeOf(() => truncated.end())).toBe(Code.InvalidArgument);
  });

  it("recognises the text content types and nothing else", () => {
    for (const type of ["application/grpc-web-text", "application/grpc-web-text+proto", "Application/GRPC-Web-Text; charset=utf-8"]) {
      expect(isGrpcWebText(type)).toBe(true);
    }
    for (const type of [undefined, "application/grpc-web", "application/grpc-web+proto", "application/grpc-web-text+json", "text/plain"]) {
      expect(isGrpcWebText(type)).toBe(false);
    }
  });
});

describe("grpc-web-text on the wire (hand-made requests)", () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(() => t.stop());

  const API = `/smartcore.traits.PublicationApi/`;
  async function postText(method: string, body: string, signal?: AbortSignal) {
    return fetch(`${t.url}${API}${method}`, {
      method: "POST",
      headers: { "content-type": "application/grpc-web-text", accept: "application/grpc-web-text", "x-grpc-web": "1" },
      body,
      signal: signal ?? null,
    });
  }

  it("answers a base64 request with a base64 response under application/grpc-web-text+proto", async () => {
    const created = await t.client.createPublication({ publication: { id: "a", body: utf8("hello") } });
    const request = toBinary(GetPublicationRequestSchema, create(GetPublicationRequestSchema, { id: "a" }));
    const res = await postText("GetPublication", encodeBase64Chunk(frame(request)));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/grpc-web-text+proto");
    const raw = await res.text();
    expect(raw).toMatch(/^[A-Za-z0-9+/=]+$/);
    const frames = parseFrames(decodeAll(raw));
    expect(fromBinary(PublicationSchema, frames[0]!.payload)).toEqual(created);
    expect(trailersOf(res.headers, frames).get("grpc-status")).toBe("0");
  });

  it("sends errors in an encoded trailer frame, and refuses a body that is not base64 with INVALID_ARGUMENT", async () => {
    const request = toBinary(GetPublicationRequestSchema, create(GetPublicationRequestSchema, { id: "missing" }));
    const missing = await postText("GetPublication", encodeBase64Chunk(frame(request)));
    const frames = parseFrames(decodeAll(await missing.text()));
    expect(trailersOf(missing.headers, frames).get("grpc-status")).toBe(String(Code.NotFound));

    const garbage = await postText("GetPublication", "@@@@AAAA");
    const garbageFrames = parseFrames(decodeAll(await garbage.text()));
    expect(trailersOf(garbage.headers, garbageFrames).get("grpc-status")).toBe(String(Code.InvalidArgument));

    const unknown = await postText("NoSuchMethod", encodeBase64Chunk(frame(new Uint8Array())));
    expect(unknown.headers.get("content-type")).toBe("application/grpc-web-text+proto");
    expect(unknown.headers.get("grpc-status")).toBe(String(Code.Unimplemented));
    expect((await t.client.listPublications({})).publications).toHaveLength(0); // still serving
  });

  it("streams: each change arrives as it happens, as its own padded base64 chunk", async () => {
    await t.client.createPublication({ publication: { id: "s", body: utf8("v1") } });
    const abort = new AbortController();
    const res = await postText("PullPublication", encodeBase64Chunk(frame(new Uint8Array([0x12, 0x01, ...utf8("s")]))), abort.signal);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let pending = "";
    const decoder = new Base64StreamDecoder();
    let bytes = new Uint8Array();
    const nextBody = async () => {
      for (;;) {
        if (bytes.length >= 5 && bytes.length >= 5 + Buffer.from(bytes).readUInt32BE(1)) {
          const [first] = parseFrames(bytes.subarray(0, 5 + Buffer.from(bytes).readUInt32BE(1)));
          bytes = bytes.subarray(first!.payload.length + 5);
          return text(fromBinary(PullPublicationResponseSchema, first!.payload).changes[0]!.publication!.body);
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        pending += value;
        bytes = new Uint8Array([...bytes, ...decoder.push(value)]);
      }
    };
    expect(await nextBody()).toBe("v1");
    await t.client.updatePublication({ publication: { id: "s", body: utf8("v2") } });
    expect(await nextBody()).toBe("v2");
    expect(pending.length % 4).toBe(0); // every chunk was padded
    abort.abort();
    await reader.cancel().catch(() => {});
  });
});

/** A whole text body: padded chunks one after the other. */
function decodeAll(body: string): Uint8Array {
  const decoder = new Base64StreamDecoder();
  const out = decoder.push(body);
  decoder.end();
  return out;
}
