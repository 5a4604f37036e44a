import { Agent } from "node:http";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { createDeviceFeed, type DeviceFeed } from "../../src/core/feed/device-feed.js";
import type { Logger } from "../../src/core/logger.js";
import type { PublicationCache } from "../../src/core/publication-cache.js";
import type { PublicationStorage } from "../../src/core/publication-storage.js";
import { PublicationApi } from "../../src/gen/smartcore/traits/publication_pb.js";
import { systemClock } from "../../src/platform/system-clock.js";
import { systemRandom } from "../../src/platform/system-random.js";

/**
 * A PublicationApi client in Node that talks to a server the way a screen's
 * browser does: gRPC-Web over HTTP/1.1, and **no message compression**.
 * connect-node's transport would otherwise advertise
 * `grpc-accept-encoding: gzip, br`, and the server then gzips every message
 * of 1 KB or more; connect-web in the browser offers no compression, so the
 * bytes measured here are the bytes a browser receives. `agent`: the
 * screen's own sockets (a browser has its own connections); a new
 * {@link screenAgent} by default.
 */
export function screenClient(server: string, agent: Agent = screenAgent()): Client<typeof PublicationApi> {
  return createClient(PublicationApi, createGrpcWebTransport({ baseUrl: server, httpVersion: "1.1", acceptCompression: [], nodeOptions: { agent } }));
}

/**
 * A screen's own sockets: kept alive, no limit (each of 10 per-publication
 * streams needs its own). The `timeout` makes Node honour the server's
 * `Keep-Alive: timeout=5` and drop an idle socket a second before the
 * server does; without one Node reuses sockets the server is closing, and a
 * download fails with EPIPE (INTERNAL) — which a browser retries by itself.
 * Measured without it: 26 of 200 feeds reconnected during a 30 s run.
 */
export function screenAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, timeout: 60_000 });
}

/** A device feed on the real clock, as a screen runs it (default timing and backoff). */
export function screenFeed(client: Client<typeof PublicationApi>, storage?: PublicationStorage, logger?: Logger): DeviceFeed {
  return createDeviceFeed({ client, device: "", clock: systemClock, random: systemRandom, ...(storage && { storage }), ...(logger && { logger }) });
}

/**
 * A logger that counts what feeds report at info level and above, by
 * message and code (e.g. `"attempt failed; retrying (deadline_exceeded)": 3`),
 * so a benchmark can tell a clean run from one where screens reconnected;
 * `examples` keeps the first error message of each.
 */
export function countingLogger(): Logger & { readonly counts: Record<string, number>; readonly examples: Record<string, string> } {
  const counts: Record<string, number> = {};
  const examples: Record<string, string> = {};
  const count = (message: string, fields?: Record<string, unknown>) => {
    const key = typeof fields?.code === "string" ? `${message} (${fields.code})` : message;
    counts[key] = (counts[key] ?? 0) + 1;
    if (typeof fields?.message === "string") examples[key] ??= fields.message;
  };
  return { counts, examples, debug() {}, info: count, warn: count, error: count };
}

/** Opens `ids` on `feed` and subscribes to each (which starts the work), as a screen showing them does. */
export function showOn(feed: DeviceFeed, ids: readonly string[]): PublicationCache[] {
  return ids.map((id) => {
    const view = feed.open(id);
    view.subscribe(() => {});
    return view;
  });
}

/** True when every view is live with a value (at `versions[id]`, when given). */
export function allLive(views: readonly PublicationCache[], versions?: ReadonlyMap<string, string>): boolean {
  return views.every((view) => {
    const { state, value } = view.snapshot();
    if (state.kind !== "live" || !value) return false;
    return versions === undefined || value.publication.version === versions.get(view.id);
  });
}

/** Polls `condition` every 50 ms until it holds; throws `what` after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What `GET /debug/stats` answers (see src/server/README.md). */
export interface DebugStats {
  readonly openStreams: Record<string, number>;
  readonly calls: Record<string, number>;
  readonly bytesSent: Record<string, number>;
}

/** The server's `/debug/stats` (`server`: its base URL). */
export async function serverStats(server: string): Promise<DebugStats> {
  const response = await fetch(`${server}/debug/stats`);
  if (!response.ok) throw new Error(`/debug/stats answered ${response.status}`);
  return (await response.json()) as DebugStats;
}

/** Sum of a per-method record. */
export function total(record: Record<string, number>): number {
  return Object.values(record).reduce((sum, value) => sum + value, 0);
}

/** `after - before`, per method, leaving out zeros. */
export function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [method, value] of Object.entries(after)) {
    const d = value - (before[method] ?? 0);
    if (d !== 0) out[method] = d;
  }
  return out;
}
