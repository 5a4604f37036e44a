import type { Interceptor } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { eventually, publicationClient, startTestServer, utf8, type TestServer } from "../server/testing/test-server.js";
import type { CachedValue } from "./cache-types.js";
import { createPublicationCache, type PublicationCache, type PublicationCacheOptions } from "./publication-cache.js";
import { RecordingLogger } from "./testing/cache-harness.js";
import { systemClock } from "../platform/system-clock.js";
import { systemRandom } from "../platform/system-random.js";

/**
 * The cache against the real development server over HTTP/1.1 gRPC-Web, with
 * real time: short backoff and poll intervals keep it quick. `eventually`
 * waits are safety nets (seconds), never speed assertions.
 */
const DEVICE = "dev-integration";
const ID = "lobby/temperature";
// Real time against a real server: the runtime defaults an entry point would pass.
const quick = { backoff: { minMs: 50, maxMs: 200, jitter: "none" }, pollIntervalMs: 300, clock: systemClock, random: systemRandom } as const;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<{ current: TestServer }> {
  const holder = { current: await startTestServer(options) };
  cleanups.push(() => holder.current.stop());
  return holder;
}

function cache(options: Omit<PublicationCacheOptions, "device" | "id" | "clock" | "random">): PublicationCache {
  const created = createPublicationCache({ device: DEVICE, id: ID, ...quick, ...options });
  cleanups.push(() => created.close());
  return created;
}

function collect(target: PublicationCache): CachedValue[] {
  const values: CachedValue[] = [];
  target.subscribe((value) => values.push(value));
  return values;
}

const bodyOf = (value: CachedValue | undefined) => (value ? new TextDecoder().decode(value.publication.body) : undefined);

async function publish(test: TestServer, body: string, create = false): Promise<string> {
  const publication = { id: ID, body: utf8(body), mediaType: "text/plain" };
  const written = create
    ? await test.client.createPublication({ name: DEVICE, publication })
    : await test.client.updatePublication({ name: DEVICE, publication });
  return written.version;
}

describe("publication cache against the development server", () => {
  it("follows updates over a live stream", async () => {
    const test = await server();
    const v1 = await publish(test.current, "21.5", true);
    const cached = cache({ client: test.current.client });
    const values = collect(cached);
    await eventually(() => values.length === 1);
    expect(values[0]?.publication.version).toBe(v1);
    expect(values[0]?.source).toBe("stream");

    const v2 = await publish(test.current, "22.0");
    await eventually(() => values.length === 2);
    expect(values[1]?.publication.version).toBe(v2);
    expect(bodyOf(values[1])).toBe("22.0");
    expect(cached.snapshot().state.kind).toBe("live");
  });

  it("catches up after the server is killed and restarted on the same port and data", async () => {
    const test = await server();
    await publish(test.current, "before", true);
    const cached = cache({ client: publicationClient(test.current.url) });
    const values = collect(cached);
    await eventually(() => cached.snapshot().state.kind === "live" && values.length === 1);

    const port = test.current.server.port;
    await test.current.server.close();
    await eventually(() => cached.snapshot().state.kind === "retrying");

    test.current = await test.current.restart();
    expect(test.current.server.port).toBe(port);
    const after = await publish(test.current, "after");
    await eventually(() => cached.snapshot().value?.publication.version === after);
    expect(bodyOf(cached.snapshot().value)).toBe("after");
    await eventually(() => cached.snapshot().state.kind === "live");
  });

  it("polls a server that does not stream (pull: false)", async () => {
    const test = await server({ pull: false });
    await publish(test.current, "one", true);
    const cached = cache({ client: test.current.client });
    const values = collect(cached);
    await eventually(() => values.length === 1);
    expect(values[0]?.source).toBe("poll");
    expect(cached.snapshot().state.kind).toBe("polling");

    await publish(test.current, "two");
    await eventually(() => values.length === 2);
    expect(bodyOf(values[1])).toBe("two");
    expect(values[1]?.source).toBe("poll");
  });

  it("waits in needs-auth until credentials are supplied", async () => {
    const test = await server({ token: "s3cret" });
    await test.current.clientWithToken("s3cret").createPublication({
      name: DEVICE,
      publication: { id: ID, body: utf8("private") },
    });
    let token: string | undefined;
    const auth: Interceptor = (next) => (request) => {
      if (token !== undefined) request.header.set("authorization", `Bearer ${token}`);
      return next(request);
    };
    // The needs-auth wait is the max backoff: long enough that only credentialsChanged() can end it here.
    const cached = cache({
      client: publicationClient(test.current.url, [auth]),
      backoff: { minMs: 50, maxMs: 60_000, jitter: "none" },
    });
    const values = collect(cached);
    await eventually(() => cached.snapshot().state.kind === "needs-auth");
    expect(cached.snapshot().state).toMatchObject({ lastError: { code: "unauthenticated" } });
    expect(values).toEqual([]);

    token = "s3cret";
    cached.credentialsChanged();
    await eventually(() => values.length === 1);
    expect(bodyOf(values[0])).toBe("private");
    await eventually(() => cached.snapshot().state.kind === "live");
  });

  it("rejects an invalid publication from the server (faults) and keeps the last good value", async () => {
    const test = await server({ faults: true });
    let good = await publish(test.current, "good", true);
    const logger = new RecordingLogger();
    const cached = cache({ client: test.current.client, logger });
    const values = collect(cached);
    await eventually(() => values.length === 1);

    for (const kind of ["other-id", "empty-id"]) {
      const armed = await fetch(`${test.current.url}/faults/invalid-next-pull?kind=${kind}`, { method: "POST" });
      expect(armed.status).toBe(200);
      await publish(test.current, `tampered ${kind}`);
      await eventually(() => cached.snapshot().lastError?.code === "invalid-publication");
      expect(values.map((v) => v.publication.version)).toEqual([good]);
      expect(cached.snapshot().value?.publication.version).toBe(good);
      expect(logger.at("warn").length).toBeGreaterThan(0);

      // The next good value is taken (and clears the error).
      good = await publish(test.current, `good after ${kind}`);
      await eventually(() => values.length === 2);
      expect(values.map((v) => v.publication.version)).toEqual([values[0]?.publication.version, good]);
      expect(cached.snapshot().lastError).toBeUndefined();
      values.splice(0, 1);
    }
  });
});
