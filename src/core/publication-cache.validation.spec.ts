import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { cacheHarness, ID, record } from "./testing/cache-harness.js";
import { publication } from "./testing/fake-publication-server.js";
import { FakeStorage } from "./testing/fake-storage.js";

describe("publication cache: validation of server values", () => {
  const invalid = [
    ["an empty id", create(PublicationSchema, { id: "", version: "bad" })],
    ["another id", publication("p2", "bad")],
  ] as const;

  it.each(invalid)("rejects a streamed publication with %s: never stored nor delivered", async (_, bad) => {
    const storage = new FakeStorage();
    const { clock, server, cache, logger } = cacheHarness({ storage });
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);
    server.sendRaw(bad);
    await clock.advance(0);

    expect(seen.versions()).toEqual(["v1"]);
    expect(cache.snapshot().value?.publication.version).toBe("v1");
    expect(storage.writes.map((p) => p.version)).toEqual(["v1"]);
    expect(cache.snapshot().lastError?.code).toBe("invalid-publication");
    expect(cache.snapshot().state.kind).toBe("live");
    expect(logger.at("warn").some((e) => e.message.includes("rejected"))).toBe(true);

    // A good value afterwards is taken, and the recorded error is cleared.
    server.publish(publication(ID, "v2"));
    await clock.advance(0);
    expect(seen.versions()).toEqual(["v1", "v2"]);
    expect(cache.snapshot().lastError).toBeUndefined();
    cache.close();
  });

  it.each(invalid)("rejects a polled publication with %s", async (_, bad) => {
    const { clock, server, cache } = cacheHarness();
    server.pullFailure = Code.Unimplemented;
    server.current = publication(ID, "v1");
    const seen = record(cache);
    await clock.advance(0);
    server.getOverride = () => bad;
    await clock.advance(60_000);
    expect(seen.versions()).toEqual(["v1"]);
    expect(cache.snapshot().lastError?.code).toBe("invalid-publication");
    expect(cache.snapshot().state.kind).toBe("polling");
    cache.close();
  });
});
