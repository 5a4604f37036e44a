/**
 * Thundering herd, simulated: 2,000 screens — each one device feed of the
 * core (in-memory storage) wanting 3 of the 20 publications of one device —
 * following one in-memory server (herd-server.ts: PullPublications, Get,
 * List, called directly) under the tests' fake clock. The server goes down —
 * every open stream fails with UNAVAILABLE at the same instant, every call
 * is refused — stays down 60 s, then comes back. We count the calls
 * reaching the server in each simulated second from the start of the
 * outage until every screen's publications are live again: the peak, the
 * peak from the server's return on, and the recovery (the return → every
 * screen live).
 *
 * Run with the default backoff (src/core/backoff.ts) and with jitter off
 * (the Go behaviour: every screen retries in lock-step). Prints JSON;
 * `--smoke` simulates 200 screens.
 *
 *   node --import tsx bench/node/herd.ts [--smoke]
 */
import { DEFAULT_BACKOFF, type BackoffOptions, type Jitter } from "../../src/core/backoff.js";
import { createDeviceFeed, type DeviceFeed } from "../../src/core/feed/device-feed.js";
import type { PublicationCache } from "../../src/core/publication-cache.js";
import { seededRandom, type RandomSource } from "../../src/core/random.js";
import { FakeClock } from "../../src/core/testing/fake-clock.js";
import { createMemoryStorage } from "../../src/storage/memory/memory-storage.js";
import { HerdServer } from "./herd-server.js";

export interface HerdResult {
  readonly screens: number;
  readonly backoff: Required<BackoffOptions>;
  readonly outageS: number;
  /** Most calls the server saw in one simulated second, from the outage on. */
  readonly peakPerSec: number;
  /** Calls per simulated second from the start of the outage. */
  readonly perSecond: number[];
  /** The peak counting only from the server's return on. */
  readonly peakAfterReturnPerSec: number;
  /** Seconds from the server's return until every screen's publications were live. */
  readonly recoverySec: number;
  /** Calls per second per 1,000 screens over the last third of the outage: what a long outage costs. */
  readonly outageCallsPerSecPer1000: number;
}

const DEVICE_PUBLICATIONS = 20;
const WANTED = 3;
const GIVE_UP_MS = 30 * 60_000;

/**
 * `backoff`: the policy to simulate (defaults filled in from
 * `DEFAULT_BACKOFF`); `random` replaces the seeded source.
 */
export async function simulateHerd(
  screens: number,
  backoff: BackoffOptions = {},
  { outageMs = 60_000, seed = 1, random = seededRandom(seed) }: { outageMs?: number; seed?: number; random?: RandomSource } = {},
): Promise<HerdResult> {
  const policy: Required<BackoffOptions> = { ...DEFAULT_BACKOFF, ...backoff };
  const clock = new FakeClock();
  const ids = Array.from({ length: DEVICE_PUBLICATIONS }, (_, i) => `pub-${i}`);
  const server = new HerdServer(() => clock.now(), ids.map((id) => ({ id, version: "v1" })));
  const client = server.client;

  const feeds: DeviceFeed[] = [];
  const views: PublicationCache[] = [];
  for (let i = 0; i < screens; i++) {
    const feed = createDeviceFeed({ client, device: "dev", clock, random, storage: createMemoryStorage(), backoff: policy });
    feeds.push(feed);
    for (let k = 0; k < WANTED; k++) {
      const view = feed.open(ids[(i + k * 7) % ids.length]!);
      view.subscribe(() => {});
      views.push(view);
    }
  }
  const notLive = () => views.filter((view) => view.snapshot().state.kind !== "live").length;

  await clock.advance(5_000);
  if (notLive() > 0) throw new Error(`${notLive()} of ${views.length} publications were not live before the outage`);

  const outageAt = clock.now();
  const callsBefore = server.callTimes.length;
  server.down = true;
  server.failStreams();
  await clock.advance(outageMs);
  server.down = false;
  const backAt = clock.now();
  while (notLive() > 0) {
    if (clock.now() - backAt > GIVE_UP_MS) throw new Error(`${notLive()} publications still not live 30 min after the outage`);
    await clock.advance(1_000);
  }
  const recoverySec = (clock.now() - backAt) / 1000;
  for (const feed of feeds) feed.close();

  const perSecond: number[] = [];
  for (const at of server.callTimes.slice(callsBefore)) {
    const second = Math.floor((at - outageAt) / 1000);
    while (perSecond.length <= second) perSecond.push(0);
    perSecond[second]!++;
  }
  const outageS = outageMs / 1000;
  const lastThird = perSecond.slice(Math.floor((outageS * 2) / 3), outageS);
  const outageCallsPerSecPer1000 = (lastThird.reduce((a, b) => a + b, 0) / Math.max(1, lastThird.length) / screens) * 1000;
  return {
    screens,
    backoff: policy,
    outageS,
    peakPerSec: Math.max(...perSecond),
    peakAfterReturnPerSec: Math.max(0, ...perSecond.slice(outageS)),
    perSecond,
    recoverySec,
    outageCallsPerSecPer1000: Math.round(outageCallsPerSecPer1000 * 10) / 10,
  };
}

/** The default policy with another jitter. */
export function withJitter(jitter: Jitter): BackoffOptions {
  return { ...DEFAULT_BACKOFF, jitter };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const screens = process.argv.includes("--smoke") ? 200 : 2_000;
  const jittered = await simulateHerd(screens);
  const lockStep = await simulateHerd(screens, withJitter("none"));
  process.stdout.write(`${JSON.stringify({ jittered, lockStep })}\n`);
}
