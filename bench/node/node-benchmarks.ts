import type { Figures } from "../support/env.js";
import type { ConnectBytesResult } from "./connect-bytes.js";
import type { HerdResult } from "./herd.js";
import type { MemoryResult } from "./memory.js";
import type { FleetLoad, UpdateDelays } from "./poll-load.js";
import type { PollBytesResult } from "./poll-bytes.js";
import type { LoadRun, LoadScenario } from "./server-load.js";

/** Runs a bench/node script (with `args`) in its own process and parses the JSON it prints. */
export type RunScript = <T>(script: string, args?: readonly string[]) => Promise<T>;

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

  async poll(run, log) {
    const bytes = await run<PollBytesResult>("bench/node/poll-bytes.ts");
    log(`poll bytes: ${JSON.stringify(bytes)}`);
    const load = await run<{ intervalMs: number; update: UpdateDelays; updateGo: UpdateDelays; fleet: FleetLoad; fleetGo: FleetLoad }>("bench/node/poll-load.ts");
    log(`poll load: ${JSON.stringify(load)}`);
    return {
      "poll.bytesPerPoll": bytes.bytesPerPoll,
      "poll.listingBytes": bytes.listingBytes,
      "poll.tenGetsBytes": bytes.tenBodiesBytes,
      "poll.tenBodies": bytes.bodyBytes * 10,
      "poll.getsPerPoll": bytes.callsPerPoll.GetPublication ?? 0,
      "poll.listsPerPoll": bytes.callsPerPoll.ListPublications ?? 0,
      "poll.publications": bytes.publications,
      "poll.intervalS": load.intervalMs / 1000,
      "poll.updateMedianS": load.update.medianMs / 1000,
      "poll.updateP99S": load.update.p99Ms / 1000,
      "poll.updateMaxS": load.update.maxMs / 1000,
      "poll.updateGoMedianS": load.updateGo.medianMs / 1000,
      "poll.updateGoMaxS": load.updateGo.maxMs / 1000,
      "poll.fleetScreens": load.fleet.screens,
      "poll.fleetPeakRps": load.fleet.peakRequestsPerSec,
      "poll.fleetPeakBps": load.fleet.peakBytesPerSec,
      "poll.fleetMeanRps": load.fleet.meanRequestsPerSec,
      "poll.fleetMeanBps": load.fleet.meanBytesPerSec,
      "poll.fleetStartRequests": load.fleet.startRequests,
      "poll.fleetBytesPerScreenHour": load.fleet.bytesPerScreenPerHour,
      "poll.fleetGoPeakRps": load.fleetGo.peakRequestsPerSec,
      "poll.fleetGoPeakBps": load.fleetGo.peakBytesPerSec,
      "poll.fleetGoMeanRps": load.fleetGo.meanRequestsPerSec,
      "poll.fleetGoBytesPerScreenHour": load.fleetGo.bytesPerScreenPerHour,
    };
  },

  async connectDistinct(run, log) {
    const { scenario, feed, perPublication } = await run<{ scenario: LoadScenario; feed: LoadRun; perPublication: LoadRun }>("bench/node/server-load.ts", [
      "--distinct",
      "--window",
      "10",
    ]);
    for (const r of [feed, perPublication]) {
      const { idle: _idle, end: _end, ...rest } = r;
      log(`connect.distinct: ${JSON.stringify(rest)}`);
    }
    return {
      "connect.distinctScreens": scenario.screens,
      "connect.distinctPublications": feed.devicePublications,
      "connect.distinctLiveMs": feed.connectMs,
      "connect.distinctConnectCpuMs": feed.connectCpuMs,
      "connect.distinctCpuMs": feed.cpuMs,
      "connect.distinctGets": feed.calls.GetPublication ?? 0,
      "connect.distinctStale": feed.staleAtEnd,
      "connect.distinctBaselineLiveMs": perPublication.connectMs,
      "connect.distinctBaselineConnectCpuMs": perPublication.connectCpuMs,
      "connect.distinctBaselineCpuMs": perPublication.cpuMs,
      "connect.distinctBaselineStale": perPublication.staleAtEnd,
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
