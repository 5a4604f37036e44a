/**
 * Polling the server every real site runs (`pgxpublications`: no pulls,
 * read masks ignored), simulated under the tests' fake clock against an
 * in-memory server that behaves so (FakeDeviceServer: `ignoreReadMasks`,
 * UNKNOWN for a missing row, no total), screens being the core's device
 * feed as a browser runs it:
 *
 * - `updateMs`: publish → the screen has it, at a random moment, 200
 *   times; the default interval (60 s ± 20 %) against Go's 5 min, no jitter.
 * - `fleet`: 1,000 screens — each wanting 10 of a device of 500 × 2 kB —
 *   start at the same instant (power back after a cut), poll for 20 min,
 *   and live through a 2-min outage of the server at minute 8. Requests and
 *   bytes (Publication messages) the server answers per simulated second:
 *   the peak from the first minute on (the start itself is the same for
 *   both: every screen reads what it shows), and the start's own second.
 *   Against Go's way: 5 min polls in lock-step (no jitter in the poll nor
 *   in the backoff, 10 s doubling to 5 min), each a Get per publication.
 *
 * Prints JSON; `--smoke`: 50 screens, 20 trials.
 *
 *   node --import tsx bench/node/poll-load.ts [--smoke]
 */
import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { parseArgs } from "node:util";
import { DEFAULT_BACKOFF, type BackoffOptions } from "../../src/core/backoff.js";
import { createDeviceFeed, type DeviceFeed } from "../../src/core/feed/device-feed.js";
import { DEFAULT_DEVICE_POLL_INTERVAL_MS } from "../../src/core/feed/poll-schedule.js";
import { seededRandom, type RandomSource } from "../../src/core/random.js";
import { FakeClock } from "../../src/core/testing/fake-clock.js";
import { FakeDeviceServer } from "../../src/core/testing/fake-device-server.js";
import { PublicationSchema, type Publication } from "../../src/gen/smartcore/traits/publication_pb.js";
import { createMemoryStorage } from "../../src/storage/memory/memory-storage.js";

const DEVICE = 500;
const BODY_BYTES = 2_048;
const WANTED = 10;
const GO_POLL_MS = 300_000;
const GO_BACKOFF: BackoffOptions = { minMs: 10_000, maxMs: 300_000, jitter: "none" };

/** How a simulated screen polls: ours (defaults) or Go's. */
interface Policy {
  readonly pollIntervalMs: number;
  readonly backoff: BackoffOptions;
  /** Per screen: jitter drawn from its own seed, or none at all (Go). */
  readonly random: (screen: number) => RandomSource;
}

const OURS: Policy = { pollIntervalMs: DEFAULT_DEVICE_POLL_INTERVAL_MS, backoff: DEFAULT_BACKOFF, random: (screen) => seededRandom(1_000 + screen) };
const GO: Policy = { pollIntervalMs: GO_POLL_MS, backoff: GO_BACKOFF, random: () => () => 0.5 };

const padded = (i: number) => `cfg-${String(i).padStart(4, "0")}`;

function publication(id: string, round: number): Publication {
  return create(PublicationSchema, {
    id,
    version: `${id}-r${round}`,
    mediaType: "application/json",
    body: new TextEncoder().encode(JSON.stringify({ id, round }).padEnd(BODY_BYTES, " ")),
  });
}

/** A server as `pgxpublications` is, holding the device. */
function databaseLikeServer(clock: FakeClock): FakeDeviceServer {
  const server = new FakeDeviceServer(() => clock.now(), Number.MAX_SAFE_INTEGER);
  server.failures.set("pullPublications", Code.Unimplemented);
  server.failures.set("pullPublication", Code.Unimplemented);
  server.ignoreReadMasks = true;
  server.missingCode = Code.Unknown;
  server.listCountsTotal = false;
  for (let i = 0; i < DEVICE; i++) server.seed(publication(padded(i), 0));
  return server;
}

function screen(server: FakeDeviceServer, clock: FakeClock, policy: Policy, index: number): DeviceFeed {
  return createDeviceFeed({
    client: server.client,
    device: "",
    clock,
    random: policy.random(index),
    storage: createMemoryStorage(),
    pollIntervalMs: policy.pollIntervalMs,
    backoff: policy.backoff,
  });
}

const wantedBy = (index: number) => Array.from({ length: WANTED }, (_, k) => padded((index * 7 + k * 50) % DEVICE));

export interface UpdateDelays {
  readonly trials: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Publish at a random moment after the screen is running; how long until it has the new version. */
export async function updateDelays(policy: Policy, trials: number): Promise<UpdateDelays> {
  const delays: number[] = [];
  const pick = seededRandom(42);
  for (let t = 0; t < trials; t++) {
    const clock = new FakeClock();
    const server = databaseLikeServer(clock);
    const feed = screen(server, clock, policy, t);
    const id = padded(0);
    const view = feed.open(id);
    let version = "";
    view.subscribe((value) => (version = value.publication.version));
    await clock.advance(0);
    // Somewhere in the screen's first quarter hour, at a moment unrelated to its polls.
    await clock.advance(Math.floor(pick() * 15 * 60_000));
    server.seed(publication(id, 1));
    const publishedAt = clock.now();
    while (version !== `${id}-r1`) await clock.advance(250);
    delays.push(clock.now() - publishedAt);
    feed.close();
  }
  delays.sort((a, b) => a - b);
  const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;
  return { trials, medianMs: at(0.5), p99Ms: at(0.99), maxMs: delays.at(-1)! };
}

export interface FleetLoad {
  readonly screens: number;
  /** Requests and bytes per simulated second, peak from the first minute on. */
  readonly peakRequestsPerSec: number;
  readonly peakBytesPerSec: number;
  /** The start's own second (every screen reads what it shows). */
  readonly startRequests: number;
  readonly startBytes: number;
  /** Mean over the run after the first minute. */
  readonly meanRequestsPerSec: number;
  readonly meanBytesPerSec: number;
  /** One screen's bytes per hour, from the mean. */
  readonly bytesPerScreenPerHour: number;
}

export async function fleetLoad(policy: Policy, screens: number): Promise<FleetLoad> {
  const clock = new FakeClock();
  const server = databaseLikeServer(clock);
  const feeds = Array.from({ length: screens }, (_, s) => screen(server, clock, policy, s));
  feeds.forEach((feed, s) => wantedBy(s).forEach((id) => feed.open(id).subscribe(() => undefined)));
  const requests: number[] = [];
  const bytes: number[] = [];
  let calls = 0;
  let sent = 0;
  const RUN_S = 20 * 60;
  const OUTAGE = { fromS: 8 * 60, toS: 10 * 60 };
  for (let second = 0; second < RUN_S; second++) {
    if (second === OUTAGE.fromS) for (const method of ["listPublications", "getPublication"] as const) server.failures.set(method, Code.Unavailable);
    if (second === OUTAGE.toS) for (const method of ["listPublications", "getPublication"] as const) server.failures.delete(method);
    await clock.advance(second === 0 ? 0 : 1_000);
    requests.push(server.calls.length - calls);
    bytes.push(server.bytesSent - sent);
    calls = server.calls.length;
    sent = server.bytesSent;
    // A long run keeps only what it counts.
    if (server.calls.length > 100_000) {
      server.calls.splice(0);
      calls = 0;
    }
  }
  for (const feed of feeds) feed.close();
  const after = (values: number[]) => values.slice(60);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    screens,
    peakRequestsPerSec: Math.max(...after(requests)),
    peakBytesPerSec: Math.max(...after(bytes)),
    startRequests: requests[0]!,
    startBytes: bytes[0]!,
    meanRequestsPerSec: Math.round(mean(after(requests))),
    meanBytesPerSec: Math.round(mean(after(bytes))),
    bytesPerScreenPerHour: Math.round((mean(after(bytes)) * 3600) / screens),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { smoke: { type: "boolean", default: false } } });
  const smoke = values.smoke ?? false;
  const screens = smoke ? 50 : 1_000;
  const trials = smoke ? 20 : 200;
  const result = {
    intervalMs: OURS.pollIntervalMs,
    update: await updateDelays(OURS, trials),
    updateGo: await updateDelays(GO, trials),
    fleet: await fleetLoad(OURS, screens),
    fleetGo: await fleetLoad(GO, screens),
  };
  console.log(JSON.stringify(result));
}
