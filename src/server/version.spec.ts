import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { Publication_Audience_Receipt, PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { mintVersion } from "./version.js";

describe("mintVersion (the reference server's digest)", () => {
  it("is the hex MD5 of v1 + id + body + media type + audience name", () => {
    // Expected values computed outside this code: printf 'v1a1hello\x00\x01text/plainroom-2' | md5sum
    const publication = create(PublicationSchema, {
      id: "a1",
      body: new Uint8Array([0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00, 0x01]),
      mediaType: "text/plain",
      audience: { name: "room-2" },
    });
    expect(mintVersion(publication)).toBe("eaf2a4e7c8a3ea6fedd87ea1f453e9c4");
    // printf 'v1x' | md5sum
    expect(mintVersion(create(PublicationSchema, { id: "x" }))).toBe("1295a35ffd5fea15083b2b90b1987587");
  });

  it("ignores publish time, receipt and the previous version", () => {
    const base = create(PublicationSchema, { id: "a", body: new Uint8Array([1]), audience: { name: "n" } });
    const decorated = create(PublicationSchema, {
      id: "a",
      body: new Uint8Array([1]),
      version: "old",
      publishTime: timestampFromMs(1),
      audience: { name: "n", receipt: Publication_Audience_Receipt.ACCEPTED, receiptRejectedReason: "r" },
    });
    expect(mintVersion(decorated)).toBe(mintVersion(base));
  });

  it("changes with each part of the content", () => {
    const base = { id: "a", body: new Uint8Array([1]), mediaType: "m", audience: { name: "n" } };
    const versions = new Set(
      [
        base,
        { ...base, id: "b" },
        { ...base, body: new Uint8Array([2]) },
        { ...base, mediaType: "m2" },
        { ...base, audience: { name: "n2" } },
      ].map((init) => mintVersion(create(PublicationSchema, init))),
    );
    expect(versions.size).toBe(5);
  });
});
