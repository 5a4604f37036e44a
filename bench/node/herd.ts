/**
 * Thundering herd, simulated: 2,000 caches (the core, in-memory storage)
 * streaming from one in-memory server (createRouterTransport) under a fake
 * clock. The server goes down — every open stream fails with UNAVAILABLE at
 * the same instant — stays down 60 s, then comes back. We count the calls
 * reaching the server in each simulated second from the start of the
 * outage until every cache is live again; the figure is the peak.
 *
 * Run with jitter as shipped (the default backoff: 10 s doubling to 5 min,
 * ±75 %) and with jitter off (the Go behaviour: every cache retries in
 * lock-step). Prints JSON; `--smoke` simulates 200 caches.
 *
 *   node --import tsx bench/node/herd.ts [--smoke]
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { DEFAULT_BACKOFF, type Jitter } from "../../src/core/backoff.js";
import { createPublicationCache, type PublicationCache } from "../../src/core/publication-cache.js";
import { seededRandom, type RandomSource } from "../../src/core/random.js";
import { FakeClock } from "../../src/core/testing/fake-clock.js";
import { PublicationApi, PublicationSchema, PullPublicationResponseSchema } from "../../src/gen/smartcore/traits/publication_pb.js";
import { createMemoryStorage } from "../../src/storage/memory/memory-storage.js";

export interface HerdResult {
  readonly caches: number;
  readonly jitter: Jitter;
  /** Most calls the server saw in one simulated second, from the outage on. */
  readonly peakPerSec: number;
  /** Calls per simulated second from the start of the outage. */
  readonly perSecond: number[];
  /** The peak counting only from the server's return on. */
  readonly peakAfterReturnPerSec: number;
  /** Seconds from the server's return until every cache was live. */
  readonly recoverySec: number;
}

const OUTAGE_MS = 60_000;
const GIVE_UP_MS = 15 * 60_000;

/** `random` replaces the seeded source (to try other spreads; see `applyJitter` in src/core/backoff.ts). */
export async function simulateHerd(caches: number, jitter: Jitter, seed = 1, random: RandomSource = seededRandom(seed)): Promise<HerdResult> {
  const clock = new FakeClock();
  let down = false;
  let outageAt = Number.POSITIVE_INFINITY;
  const perSecond: number[] = [];
  const openStreams = new Set<() => void>();
  const count = () => {
    const now = clock.now();
    if (now < outageAt) return;
    const second = Math.floor((now - outageAt) / 1000);
    while (perSecond.length <= second) perSecond.push(0);
    perSecond[second] = (perSecond[second] ?? 0) + 1;
  };
  const valueOf = (id: string) => create(PublicationSchema, { id, version: "v1", body: new TextEncoder().encode(`value of ${id}`) });

  const transport = createRouterTransport(({ service }) => {
    service(PublicationApi, {
      async getPublication(request) {
        count();
        if (down) throw new ConnectError("server down", Code.Unavailable);
        return valueOf(request.id);
      },
      async *pullPublication(request, context) {
        count();
        if (down) throw new ConnectError("server down", Code.Unavailable);
        yield create(PullPublicationResponseSchema, { changes: [{ name: request.name, publication: valueOf(request.id) }] });
        await new Promise<void>((resolve, reject) => {
          const fail = () => {
            openStreams.delete(fail);
            reject(new ConnectError("server went down", Code.Unavailable));
          };
          openStreams.add(fail);
          context.signal.addEventListener(
            "abort",
            () => {
              openStreams.delete(fail);
              resolve();
            },
            { once: true },
          );
        });
      },
    });
  });
  const client = createClient(PublicationApi, transport);
  const all: PublicationCache[] = [];
  for (let i = 0; i < caches; i++) {
    const cache = createPublicationCache({
      client,
      device: "",
      id: `screen-${i}`,
      clock,
      random,
      storage: createMemoryStorage(),
      backoff: { jitter },
    });
    cache.subscribe(() => {});
    all.push(cache);
  }
  const liveCount = () => all.filter((cache) => cache.snapshot().state.kind === "live").length;

  await clock.advance(1_000);
  if (liveCount() !== caches) throw new Error(`only ${liveCount()} of ${caches} caches went live before the outage`);

  outageAt = clock.now();
  down = true;
  for (const fail of [...openStreams]) fail();
  await clock.advance(OUTAGE_MS);
  down = false;
  const backAt = clock.now();
  while (liveCount() < caches) {
    if (clock.now() - backAt > GIVE_UP_MS) throw new Error(`${caches - liveCount()} caches still not live 15 min after the outage`);
    await clock.advance(1_000);
  }
  const recoverySec = (clock.now() - backAt) / 1000;
  for (const cache of all) cache.close();
  const afterReturn = perSecond.slice(OUTAGE_MS / 1000);
  return { caches, jitter, peakPerSec: Math.max(...perSecond), peakAfterReturnPerSec: Math.max(0, ...afterReturn), perSecond, recoverySec };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const caches = process.argv.includes("--smoke") ? 200 : 2_000;
  const jittered = await simulateHerd(caches, DEFAULT_BACKOFF.jitter);
  const lockStep = await simulateHerd(caches, "none");
  process.stdout.write(`${JSON.stringify({ jittered, lockStep })}\n`);
}
