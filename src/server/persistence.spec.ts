import { fromBinary } from "@bufbuild/protobuf";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { encodeFileName } from "../storage/file/file-name-codec.js";
import { startPublicationServer } from "./publication-server.js";
import { ServerStartError } from "./start-error.js";
import { startTestServer, text, utf8, type TestServer } from "./testing/test-server.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe("persistence in the data directory", () => {
  it("keeps every publication, its version and its publish time across a restart on the same port", async () => {
    t = await startTestServer();
    const a = await t.client.createPublication({ publication: { id: "site-config", body: utf8("{}"), mediaType: "application/json" } });
    const b = await t.client.createPublication({ publication: { id: "zone.1/thresholds", audience: { name: "panel" } } });
    await t.client.createPublication({ publication: { id: "gone" } });
    await t.client.deletePublication({ id: "gone" });
    const before = await t.client.listPublications({});

    t = await t.restart();
    const after = await t.client.listPublications({});
    expect(after).toEqual(before);
    expect(after.publications.map((p) => p.version)).toEqual([a.version, b.version]);
    expect(text((await t.client.getPublication({ id: "site-config" })).body)).toBe("{}");
  });

  it("writes one binary-protobuf file per publication, named with the Go escaping codec", async () => {
    t = await startTestServer();
    const created = await t.client.createPublication({ publication: { id: "a1.b", body: utf8("x") } });
    expect(await readdir(t.dataDir)).toEqual(["a$31$2Eb"]);
    const stored = fromBinary(PublicationSchema, new Uint8Array(await readFile(join(t.dataDir, encodeFileName("a1.b")))));
    expect(stored).toEqual(created);
    await t.client.deletePublication({ id: "a1.b" });
    expect(await readdir(t.dataDir)).toEqual([]);
  });

  it("reports and skips a corrupt file or one holding another id, and serves the rest", async () => {
    t = await startTestServer();
    await t.client.createPublication({ publication: { id: "good" } });
    await t.client.createPublication({ publication: { id: "moved" } });
    const dir = t.dataDir;
    await t.server.close();
    await writeFile(join(dir, encodeFileName("broken")), new Uint8Array([0xff, 0xff, 0xff]));
    // A valid file under the wrong name: it holds "moved", but is named "alias".
    await writeFile(join(dir, encodeFileName("alias")), await readFile(join(dir, encodeFileName("moved"))));
    await writeFile(join(dir, "stray.txt"), "not a publication file name");

    t = await startTestServer({ dataDir: dir });
    expect((await t.client.listPublications({})).publications.map((p) => p.id)).toEqual(["good", "moved"]);
    expect(t.logs.some((line) => line.includes('"broken"') && line.includes("does not decode"))).toBe(true);
    expect(t.logs.some((line) => line.includes('"alias"'))).toBe(true);
    // The broken id can be published again; its file is replaced.
    await t.client.createPublication({ publication: { id: "broken", body: utf8("fixed") } });
    t = await t.restart();
    expect(text((await t.client.getPublication({ id: "broken" })).body)).toBe("fixed");
  });

  it("refuses to start on an unusable data directory with a one-line ServerStartError", async () => {
    const base = await mkdtemp(join(tmpdir(), "pubserver-bad-"));
    try {
      await writeFile(join(base, "a-file"), "");
      const start = startPublicationServer({ dataDir: join(base, "a-file", "data") });
      await expect(start).rejects.toBeInstanceOf(ServerStartError);
      await expect(start).rejects.toThrow(/^cannot create data directory .*a-file\/data: .+$/);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
