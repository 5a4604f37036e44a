import type { Figures } from "../support/env.js";
import type { ConnectBytesResult } from "./connect-bytes.js";
import type { HerdResult } from "./herd.js";
import type { MemoryResult } from "./memory.js";
import type { LoadRun, LoadScenario } from "./server-load.js";

/** Runs a bench/node script in its own process and parses the JSON it prints. */
export type RunScript = <T>(script: string) => Promise<T>;

type NodeBenchmark = (run: RunScript, log: (line: string) => void) => Promise<Figures>;

/**
 * The benchmarks that run in Node, each in its own process (its heap and
 * event loop its own), mapped to the figures of the table (`--json` names).
 */
export const NODE_BENCHMARKS = {
  async memory(run) {
    const result = await run<MemoryResult>("bench/node/memory.ts");
    return {
      "memory.heapGrowthBytes": result.heapGrowthBytes,
      "memory.secondDayGrowthBytes": result.secondDayGrowthBytes,
      "memory.updates": result.updates,
    };
  },

  async herd(run, log) {
    const { jittered, lockStep } = await run<{ jittered: HerdResult; lockStep: HerdResult }>("bench/node/herd.ts");
    log(`herd: calls per second from the outage on, jitter: ${jittered.perSecond.slice(0, 30).join(",")}…`);
    return {
      "herd.peakPerSecJitter": jittered.peakPerSec,
      "herd.peakPerSecNoJitter": lockStep.peakPerSec,
      "herd.peakAfterReturnPerSecJitter": jittered.peakAfterReturnPerSec,
      "herd.peakAfterReturnPerSecNoJitter": lockStep.peakAfterReturnPerSec,
      "herd.recoverySecJitter": jittered.recoverySec,
      "herd.recoverySecNoJitter": lockStep.recoverySec,
      "herd.outageCallsPerSecPer1000": jittered.outageCallsPerSecPer1000,
      "herd.screens": jittered.screens,
      "herd.backoffMinS": jittered.backoff.minMs / 1000,
      "herd.backoffMaxS": jittered.backoff.maxMs / 1000,
    };
  },

  async connect(run, log) {
    const r = await run<ConnectBytesResult>("bench/node/connect-bytes.ts");
    log(`connect: ${JSON.stringify(r)}`);
    return {
      "connect.bytes": r.bytes,
      "connect.changedBytes": r.changedBytes,
      "connect.baselineBytes": r.baselineBytes,
      "connect.targetBytes": r.targetBytes,
      "connect.probeBytes": r.probeBytes,
      "connect.metadataRecordBytes": r.metadataRecordBytes,
      "connect.bodyBytes": r.bodyBytes,
      "connect.publications": r.publications,
      "connect.downloads": r.calls.GetPublication ?? 0,
      "connect.changedDownloads": r.changedCalls.GetPublication ?? 0,
      "connect.getPlainBytes": r.getPlainBytes,
      "connect.getGzipAcceptedBytes": r.getGzipAcceptedBytes,
    };
  },

  async server(run, log) {
    const { scenario, feed, perPublication } = await run<{ scenario: LoadScenario; feed: LoadRun; perPublication: LoadRun }>("bench/node/server-load.ts");
    for (const r of [feed, perPublication]) {
      const { idle: _idle, end: _end, ...rest } = r;
      log(`server: ${JSON.stringify(rest)}`);
    }
    const stale = feed.staleAtEnd + perPublication.staleAtEnd;
    if (stale > 0) throw new Error(`${stale} screen × publication pairs missed the last update: the figures would measure screens that fell behind`);
    return {
      "server.screens": scenario.screens,
      "server.windowS": scenario.windowS,
      "server.cpuMs": feed.cpuMs,
      "server.connectCpuMs": feed.connectCpuMs,
      "server.windowCpuMs": feed.windowCpuMs,
      "server.heapGrowthBytes": feed.heapGrowthBytes,
      "server.rssGrowthBytes": feed.rssGrowthBytes,
      "server.streams": feed.streams.PullPublications + feed.streams.PullPublication,
      "server.getCalls": feed.calls.GetPublication ?? 0,
      "server.reconnects": (feed.calls.PullPublications ?? 0) - scenario.screens,
      "server.baselineCpuMs": perPublication.cpuMs,
      "server.baselineConnectCpuMs": perPublication.connectCpuMs,
      "server.baselineWindowCpuMs": perPublication.windowCpuMs,
      "server.baselineHeapGrowthBytes": perPublication.heapGrowthBytes,
      "server.baselineRssGrowthBytes": perPublication.rssGrowthBytes,
      "server.baselineStreams": perPublication.streams.PullPublications + perPublication.streams.PullPublication,
    };
  },
} satisfies Record<string, NodeBenchmark>;
