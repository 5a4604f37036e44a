/**
 * What the screens cost the server: the development server (its CLI, a
 * child process) followed by 200 simulated screens — each one device feed
 * of the core wanting 10 publications, all 200 in this process, each with
 * its own sockets (an http.Agent without a socket limit), over real HTTP —
 * while one update a second goes round the publications, for a fixed
 * window. Measured from the server process itself: CPU time (user +
 * system) from the screens' first call to the end of the window, and its
 * memory at the end (RSS and used heap after full collections) minus what
 * the idle server held before the screens came.
 *
 * The same with the per-publication engine: the same feeds against a
 * server started with `--no-pull-all`, where each feed opens one
 * PullPublication per publication (200 × 10 = 2,000 streams).
 *
 * By default every screen shows the same 10 publications (one building's
 * screens, one dashboard). `--distinct`: each screen its own 10 of a device
 * holding 200 × 10 (every change then reaches every device stream; see the
 * README). Prints JSON; `--smoke`: 20 screens, 5 s.
 *
 *   node --import tsx bench/node/server-load.ts [--smoke] [--distinct] [--what-if] [--screens N] [--window S]
 *
 * `--what-if` adds a third run that is not the core: bare PullPublications
 * streams without a read mask (bodies in the stream, no downloads), what
 * the server would spend if the feed asked for full values.
 */
import { setMaxListeners } from "node:events";
import type { Agent } from "node:http";
import { parseArgs } from "node:util";
import type { Logger } from "../../src/core/logger.js";
import { startMeasuredServer, type ServerUsage } from "../support/measured-server-process.js";
import { allLive, countingLogger, screenAgent, screenClient, screenFeed, serverStats, showOn, until } from "../support/node-screen.js";
import { createPublisher } from "../support/publisher.js";

const PER_SCREEN = 10;
const BODY_BYTES = 1_024;

export interface LoadScenario {
  readonly screens: number;
  readonly windowS: number;
  /** Each screen its own publications (else all show the same ones). */
  readonly distinct: boolean;
}

export interface LoadRun {
  /** `device-feed` (PullPublications) or `per-publication` (`--no-pull-all`). */
  readonly engine: string;
  readonly screens: number;
  readonly devicePublications: number;
  /** Open upstream streams at the end of the window. */
  readonly streams: { readonly PullPublications: number; readonly PullPublication: number };
  /** Calls the server saw per method, from the screens' first call to the end of the window. */
  readonly calls: Record<string, number>;
  /** From the first screen's start until every screen was live. */
  readonly connectMs: number;
  readonly connectCpuMs: number;
  /** CPU time over the update window (after every screen was live). */
  readonly windowCpuMs: number;
  /** Both: what the screens cost the server in CPU. */
  readonly cpuMs: number;
  readonly rssGrowthBytes: number;
  readonly heapGrowthBytes: number;
  readonly externalGrowthBytes: number;
  readonly idle: ServerUsage;
  readonly end: ServerUsage;
  readonly updates: number;
  /** Screen × publication pairs not showing the last update 10 s after the window. */
  readonly staleAtEnd: number;
  /** What the feeds logged (info and above), counted: failed attempts and reconnects show here. */
  readonly feedEvents: Record<string, number>;
  /** The first error message of each kind of event. */
  readonly feedEventExamples: Record<string, string>;
}

/**
 * - `device-feed`: the core's feed, PullPublications with metadata only, bodies downloaded;
 * - `per-publication`: the same feed against `--no-pull-all` (one PullPublication each);
 * - `full-values-stream`: what-if, not the core: a bare PullPublications without read mask (bodies in the stream).
 */
export type LoadEngine = "device-feed" | "per-publication" | "full-values-stream";

export async function measureLoad(engine: LoadEngine, scenario: LoadScenario): Promise<LoadRun> {
  const server = await startMeasuredServer(engine === "per-publication" ? ["--no-pull-all"] : []);
  const closers: Array<() => void> = [];
  const agents: Agent[] = [];
  try {
    const count = scenario.distinct ? scenario.screens * PER_SCREEN : PER_SCREEN;
    const ids = Array.from({ length: count }, (_, i) => `load-${String(i).padStart(4, "0")}`);
    const publish = createPublisher(server.url);
    const latest = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 25) {
      await Promise.all(ids.slice(i, i + 25).map(async (id) => latest.set(id, (await publish(id, bodyOf(id, 0))).version)));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const idle = await server.usage();
    const callsBefore = (await serverStats(server.url)).calls;

    const logger = countingLogger();
    const started = Date.now();
    const screens: Screen[] = [];
    for (let s = 0; s < scenario.screens; s++) {
      const agent = screenAgent();
      agents.push(agent);
      const client = screenClient(server.url, agent);
      const wanted = scenario.distinct ? ids.slice(s * PER_SCREEN, (s + 1) * PER_SCREEN) : ids;
      screens.push(engine === "full-values-stream" ? rawStreamScreen(client, wanted) : feedScreen(client, wanted, logger));
    }
    closers.push(...screens.map((screen) => () => screen.close()));
    await until(() => screens.every((screen) => screen.live()), 180_000, `${scenario.screens} screens to be live`);
    const connectMs = Date.now() - started;
    const connected = await server.usage();

    // One update a second, round the publications, for the window.
    const windowStart = Date.now();
    let updates = 0;
    for (let second = 0; second < scenario.windowS; second++) {
      const id = ids[(second * 7) % ids.length]!;
      latest.set(id, (await publish(id, bodyOf(id, second + 1))).version);
      updates++;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, windowStart + (second + 1) * 1_000 - Date.now())));
    }
    const end = await server.usage();
    const stats = await serverStats(server.url);

    // Every screen got every last value (else the figures measured a screen that fell behind).
    const staleCount = () => screens.reduce((sum, screen) => sum + screen.ids.filter((id) => screen.versionOf(id) !== latest.get(id)).length, 0);
    await until(() => staleCount() === 0, 10_000, "every screen to show the last update").catch(() => undefined);
    const staleAtEnd = staleCount();

    const calls: Record<string, number> = {};
    for (const [method, n] of Object.entries(stats.calls)) if (n - (callsBefore[method] ?? 0) > 0) calls[method] = n - (callsBefore[method] ?? 0);
    return {
      engine,
      screens: scenario.screens,
      devicePublications: ids.length,
      streams: { PullPublications: stats.openStreams.PullPublications ?? 0, PullPublication: stats.openStreams.PullPublication ?? 0 },
      calls,
      connectMs,
      // Each phase from the end of one measurement to the start of the next: the collections they force are left out.
      connectCpuMs: round(connected.cpuMs - idle.cpuAfterMs),
      windowCpuMs: round(end.cpuMs - connected.cpuAfterMs),
      cpuMs: round(connected.cpuMs - idle.cpuAfterMs + end.cpuMs - connected.cpuAfterMs),
      rssGrowthBytes: end.rssBytes - idle.rssBytes,
      heapGrowthBytes: end.heapUsedBytes - idle.heapUsedBytes,
      externalGrowthBytes: end.externalBytes - idle.externalBytes,
      idle,
      end,
      updates,
      staleAtEnd,
      feedEvents: logger.counts,
      feedEventExamples: logger.examples,
    };
  } finally {
    for (const close of closers) close();
    for (const agent of agents) agent.destroy();
    await server.dispose();
  }
}

/** One simulated screen, however it follows the server. */
interface Screen {
  readonly ids: readonly string[];
  /** Every wanted publication has a value and the way of following says live. */
  live(): boolean;
  versionOf(id: string): string | undefined;
  close(): void;
}

function feedScreen(client: ReturnType<typeof screenClient>, ids: readonly string[], logger: Logger): Screen {
  const feed = screenFeed(client, undefined, logger);
  const views = new Map(showOn(feed, ids).map((view) => [view.id, view]));
  return {
    ids,
    live: () => allLive([...views.values()]),
    versionOf: (id) => views.get(id)?.snapshot().value?.publication.version,
    close: () => feed.close(),
  };
}

/** The what-if: one PullPublications without read mask, bodies in the stream, nothing downloaded. */
function rawStreamScreen(client: ReturnType<typeof screenClient>, ids: readonly string[]): Screen {
  const versions = new Map<string, string>();
  const abort = new AbortController();
  void (async () => {
    try {
      for await (const response of client.pullPublications({ name: "" }, { signal: abort.signal })) {
        for (const change of response.changes) if (change.newValue) versions.set(change.newValue.id, change.newValue.version);
      }
    } catch {
      // Aborted at the end; a failure shows as a screen that is not live.
    }
  })();
  return {
    ids,
    live: () => ids.every((id) => versions.has(id)),
    versionOf: (id) => versions.get(id),
    close: () => abort.abort(),
  };
}

/** About 1 KB of JSON, different for each update. */
function bodyOf(id: string, round: number): string {
  const head = JSON.stringify({ id, round, values: "" });
  return JSON.stringify({ id, round, values: `${round}:`.repeat(Math.ceil(BODY_BYTES / 3)).slice(0, BODY_BYTES - head.length) });
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Each feed's signal has a listener per publication loop; Node warns past 10 (browsers do not).
  setMaxListeners(0);
  const { values } = parseArgs({
    options: {
      smoke: { type: "boolean", default: false },
      distinct: { type: "boolean", default: false },
      "what-if": { type: "boolean", default: false }, screens: { type: "string" }, window: { type: "string" } },
    strict: true,
  });
  const scenario: LoadScenario = {
    screens: Number(values.screens ?? (values.smoke ? 20 : 200)),
    windowS: Number(values.window ?? (values.smoke ? 5 : 30)),
    distinct: values.distinct ?? false,
  };
  const feed = await measureLoad("device-feed", scenario);
  const perPublication = await measureLoad("per-publication", scenario);
  // What bodies in the stream would cost the server (a proposal, not what the core does).
  const fullValues = values["what-if"] ? await measureLoad("full-values-stream", scenario) : undefined;
  process.stdout.write(`${JSON.stringify({ scenario, feed, perPublication, fullValues })}\n`);
}
