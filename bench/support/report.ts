import type { Figures } from "./env.js";

export type Verdict = "PASS" | "MISS" | "CRASH" | "—" | "not run";

interface Row {
  /** The benchmark's name for `--only`. */
  readonly name: string;
  readonly benchmark: string;
  /** What the smoke run does instead, where the label's sizes do not hold there. */
  readonly smokeSize?: string;
  /** Figure names the row needs; a missing one means the benchmark crashed. */
  readonly needs: readonly string[];
  readonly ours: (f: Figures) => string;
  readonly baseline: (f: Figures) => string;
  readonly target: string;
  /** Absent for a row that compares and judges nothing (its verdict is always "—"). */
  readonly pass?: (f: Figures) => boolean;
}

const n = (f: Figures, name: string) => f[name] as number;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const ratio = (value: number) => `${value.toFixed(2)}×`;
/** A count of TCP connections, or "?" where `ss` could not say. */
const connections = (count: number) => (Number.isFinite(count) ? `${count} TCP connection${count === 1 ? "" : "s"}` : "? TCP connections");
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const MB = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
/** A growth, signed: "+1.20 MB", "−0.40 MB". */
const growth = (bytes: number) => `${bytes < 0 ? "−" : "+"}${MB(Math.abs(bytes))}`;

/** The rows of the table, one per benchmark, with their targets. */
export const ROWS: readonly Row[] = [
  {
    name: "fanout",
    benchmark: "`fanout.deviceStreams`: open upstream streams, 20 publications × 5 tabs, first visit",
    needs: ["fanout.deviceStreams", "fanout.baselineStreams"],
    ours: (f) =>
      `${n(f, "fanout.deviceStreams")} (${n(f, "fanout.tabsShowingAll")}/5 tabs show all 20, ` +
      `${n(f, "fanout.tabsControlled")}/5 controlled, after ${(n(f, "fanout.settledMs") / 1000).toFixed(1)} s)`,
    baseline: (f) =>
      `per-publication engine (--no-pull-all): ${n(f, "fanout.baselineStreams")} open; ` +
      `every tab shows ${n(f, "fanout.baselineShownInEveryTab")}/20, ${n(f, "fanout.baselineTabsShowingAll")}/5 tabs show all`,
    target: "1",
    pass: (f) => n(f, "fanout.deviceStreams") === 1 && n(f, "fanout.tabsShowingAll") === 5,
  },
  {
    name: "fanout",
    benchmark: "`fanout.pageFetchMs`: the page's own fetch to the same server, cache running with 20 publications (median)",
    needs: ["fanout.pageFetchMs"],
    ours: (f) => `${ms(n(f, "fanout.pageFetchMs"))} (${n(f, "fanout.pageFetchesAnswered")}/${n(f, "fanout.pageFetchesTried")} answered)`,
    baseline: (f) => {
      const answered = n(f, "fanout.baselinePageFetchesAnswered");
      const tried = n(f, "fanout.baselinePageFetchesTried");
      const cap = (n(f, "fanout.pageFetchCapMs") / 1000).toFixed(0);
      if (answered === 0) return `per-publication engine: no answer within ${cap} s (${tried}/${tried} timed out)`;
      return `per-publication engine: ${ms(n(f, "fanout.baselinePageFetchMs"))} (${answered}/${tried} answered within ${cap} s)`;
    },
    target: "< 50 ms",
    pass: (f) => n(f, "fanout.pageFetchMs") < 50 && n(f, "fanout.pageFetchesAnswered") === n(f, "fanout.pageFetchesTried"),
  },
  {
    name: "latency",
    benchmark: "latency: server commit → rendered in all 5 tabs through the device feed, p50 / p99",
    needs: ["latency.p50Ms", "latency.p99Ms", "latency.directP50Ms", "latency.directP99Ms"],
    ours: (f) =>
      `${ms(n(f, "latency.p50Ms"))} / ${ms(n(f, "latency.p99Ms"))} ` +
      `(first of the 5 tabs: ${ms(n(f, "latency.firstTabP50Ms"))} / ${ms(n(f, "latency.firstTabP99Ms"))}; ` +
      (n(f, "latency.downloads") > 0
        ? `p50 split: commit → download ${ms(n(f, "latency.toDownloadP50Ms"))}, GetPublication ${ms(n(f, "latency.downloadP50Ms"))}, ` +
          `→ last tab ${ms(n(f, "latency.afterDownloadP50Ms"))})`
        : "bodies in the device stream: no download)"),
    baseline: (f) =>
      `${ms(n(f, "latency.directP50Ms"))} / ${ms(n(f, "latency.directP99Ms"))} (one tab, direct stream; ` +
      `what-if, the app over a stream per publication (--no-pull-all): ${ms(n(f, "latency.bodiesInStreamP50Ms"))} / ${ms(n(f, "latency.bodiesInStreamP99Ms"))}; ` +
      `five tabs of the direct page, each its own stream, to the last of the five: ${ms(n(f, "latency.directTabsP50Ms"))} / ${ms(n(f, "latency.directTabsP99Ms"))})`,
    target: "p99 ≤ direct p99 + 5 ms",
    pass: (f) => n(f, "latency.p99Ms") <= n(f, "latency.directP99Ms") + 5,
  },
  {
    name: "httpsLatency",
    benchmark: "`https.latencyP99Ms`: server commit → rendered in all 5 tabs through the device feed over HTTPS/h2 (CA trusted), p50 / p99",
    smokeSize: "15 updates",
    needs: ["https.latencyP50Ms", "https.latencyP99Ms", "https.latencyHttpP50Ms", "https.latencyHttpP99Ms"],
    ours: (f) =>
      `${ms(n(f, "https.latencyP50Ms"))} / ${ms(n(f, "https.latencyP99Ms"))} ` +
      `(first of the 5 tabs: ${ms(n(f, "https.latencyFirstTabP50Ms"))} / ${ms(n(f, "https.latencyFirstTabP99Ms"))}; ` +
      `Chromium to the server: ${connections(n(f, "https.latencyConnections"))})`,
    baseline: (f) =>
      `plain HTTP/1.1, taking turns: ${ms(n(f, "https.latencyHttpP50Ms"))} / ${ms(n(f, "https.latencyHttpP99Ms"))} ` +
      `(first tab ${ms(n(f, "https.latencyHttpFirstTabP50Ms"))} / ${ms(n(f, "https.latencyHttpFirstTabP99Ms"))}; ` +
      `${connections(n(f, "https.latencyHttpConnections"))}); h2 ÷ HTTP/1.1: p50 ${ratio(n(f, "https.latencyP50Ratio"))}, p99 ${ratio(n(f, "https.latencyP99Ratio"))}`,
    target: "— (compared, not judged)",
  },
  {
    name: "httpsFirstVisit",
    benchmark: "`https.firstVisitMs`: first visit, fresh profile → 20 publications shown in one tab, HTTPS/h2 (median)",
    smokeSize: "2 visits each",
    needs: ["https.firstVisitMs", "https.firstVisitHttpMs"],
    ours: (f) =>
      `${ms(n(f, "https.firstVisitMs"))} (p90 ${ms(n(f, "https.firstVisitP90Ms"))}; the page's connection: ` +
      `TCP + TLS ${ms(n(f, "https.firstVisitConnectMs"))}, of it TLS ${ms(n(f, "https.firstVisitTlsMs"))}; ` +
      `document ${ms(n(f, "https.firstVisitDocumentMs"))}, scripts run ${ms(n(f, "https.firstVisitScriptsMs"))}; ${n(f, "https.firstVisits")} visits)`,
    baseline: (f) =>
      `plain HTTP/1.1, alternating: ${ms(n(f, "https.firstVisitHttpMs"))} (p90 ${ms(n(f, "https.firstVisitHttpP90Ms"))}; ` +
      `connection ${ms(n(f, "https.firstVisitHttpConnectMs"))}; document ${ms(n(f, "https.firstVisitHttpDocumentMs"))}, ` +
      `scripts run ${ms(n(f, "https.firstVisitHttpScriptsMs"))}); h2 ÷ HTTP/1.1: ${ratio(n(f, "https.firstVisitRatio"))}`,
    target: "— (compared, not judged)",
  },
  {
    name: "httpsPageFetch",
    benchmark: "`https.pageFetchMs`: the page's own fetch to the server over h2, cache running with 20 publications × 5 tabs (median)",
    needs: ["https.pageFetchMs", "https.pageFetchHttpMs"],
    ours: (f) =>
      `${ms(n(f, "https.pageFetchMs"))} (${n(f, "https.pageFetchesAnswered")}/${n(f, "https.pageFetchesTried")} answered; ` +
      `${n(f, "https.pageFetchStreams")} device stream, ${n(f, "https.pageFetchTabsShowingAll")}/5 tabs show all; ` +
      `Chromium to the server: ${connections(n(f, "https.pageFetchConnections"))})`,
    baseline: (f) =>
      `plain HTTP/1.1, taking turns: ${ms(n(f, "https.pageFetchHttpMs"))} (${n(f, "https.pageFetchHttpAnswered")}/${n(f, "https.pageFetchesTried")}; ` +
      `${connections(n(f, "https.pageFetchHttpConnections"))}); h2 ÷ HTTP/1.1: ${ratio(n(f, "https.pageFetchRatio"))}; ` +
      `what-if, a stream per publication (--no-pull-all) over h2: ${n(f, "https.perPublicationStreams")} streams on ` +
      `${connections(n(f, "https.perPublicationConnections"))}, ${n(f, "https.perPublicationTabsShowingAll")}/5 tabs show all 20, ` +
      `fetch ${ms(n(f, "https.perPublicationPageFetchMs"))} (${n(f, "https.perPublicationPageFetchesAnswered")}/${n(f, "https.pageFetchesTried")})`,
    target: "— (compared, not judged)",
  },
  {
    name: "connect",
    benchmark: "`connect.bytes`: bytes the server sends on one reconnect, device of 500 × 2 KB, screen wants 10 (held at current versions)",
    smokeSize: "100 publications",
    needs: ["connect.bytes", "connect.baselineBytes", "connect.targetBytes"],
    ours: (f) =>
      `${kB(n(f, "connect.bytes"))} (a changes-only stream and ${n(f, "connect.downloads")} reads of ${kB(n(f, "connect.bodyBytes"))}; ` +
      `the 10 changed while away: ${kB(n(f, "connect.changedBytes"))}, ${n(f, "connect.changedDownloads")} reads)`,
    baseline: (f) =>
      `${kB(n(f, "connect.baselineBytes"))} (PullPublications without read mask: every body; with metadata only, ` +
      `${n(f, "connect.publications")} records of ${n(f, "connect.metadataRecordBytes")} B); ` +
      `target figure ${kB(n(f, "connect.targetBytes"))} from the encoded sizes (${n(f, "connect.probeBytes")} B of it the starting feed's size probe)`,
    target: "≤ 10 bodies + metadata of those 10 (+ one size probe)",
    pass: (f) => n(f, "connect.bytes") <= n(f, "connect.targetBytes") && n(f, "connect.changedBytes") <= n(f, "connect.targetBytes"),
  },
  {
    name: "poll",
    benchmark: "`poll.bytesPerPoll`: bytes the server sends a screen per poll, `--db-like` (read masks ignored), device of 500 × 2 kB, screen wants 10",
    smokeSize: "100 publications",
    needs: ["poll.bytesPerPoll", "poll.listingBytes", "poll.tenBodies"],
    ours: (f) => `${kB(n(f, "poll.bytesPerPoll"))} (${n(f, "poll.getsPerPoll")} GetPublication, ${n(f, "poll.listsPerPoll")} ListPublications a poll)`,
    baseline: (f) => `${kB(n(f, "poll.listingBytes"))} (the device listing each poll made before: every body)`,
    target: "≤ 10 bodies + 10 %",
    pass: (f) => n(f, "poll.bytesPerPoll") <= n(f, "poll.tenBodies") * 1.1,
  },
  {
    name: "poll",
    benchmark: "`poll.updateMs`: publish → on the screen, a server that does not stream, default interval (simulated: fake clock, 200 moments)",
    smokeSize: "20 moments",
    needs: ["poll.updateMedianS", "poll.updateMaxS", "poll.updateGoMaxS"],
    ours: (f) =>
      `median ${n(f, "poll.updateMedianS").toFixed(1)} s, p99 ${n(f, "poll.updateP99S").toFixed(1)} s, max ${n(f, "poll.updateMaxS").toFixed(1)} s ` +
      `(interval ${n(f, "poll.intervalS")} s ± 20 %)`,
    baseline: (f) => `median ${n(f, "poll.updateGoMedianS").toFixed(1)} s, max ${n(f, "poll.updateGoMaxS").toFixed(1)} s (5 min interval)`,
    target: "≤ interval + jitter (72 s)",
    pass: (f) => n(f, "poll.updateMaxS") <= n(f, "poll.intervalS") * 1.2 + 1,
  },
  {
    name: "poll",
    benchmark: "`poll.fleetLoad`: what 1,000 polling screens (10 of 500 × 2 kB each) cost the server, 20 min with a 2-min outage (simulated)",
    smokeSize: "50 screens",
    needs: ["poll.fleetPeakRps", "poll.fleetGoPeakRps", "poll.fleetPeakBps", "poll.fleetGoPeakBps"],
    ours: (f) =>
      `peak ${n(f, "poll.fleetPeakRps")} req/s, ${kB(n(f, "poll.fleetPeakBps"))}/s; mean ${n(f, "poll.fleetMeanRps")} req/s, ` +
      `${kB(n(f, "poll.fleetMeanBps"))}/s; ${kB(n(f, "poll.fleetBytesPerScreenHour"))} per screen per hour ` +
      `(start: ${n(f, "poll.fleetStartRequests")} requests in its first second, the same for both)`,
    baseline: (f) =>
      `Go's 5 min in lock-step: peak ${n(f, "poll.fleetGoPeakRps")} req/s, ${kB(n(f, "poll.fleetGoPeakBps"))}/s; ` +
      `mean ${n(f, "poll.fleetGoMeanRps")} req/s; ${kB(n(f, "poll.fleetGoBytesPerScreenHour"))} per screen per hour`,
    target: "peak ≤ 1/5 of lock-step",
    pass: (f) => n(f, "poll.fleetPeakRps") * 5 <= n(f, "poll.fleetGoPeakRps") && n(f, "poll.fleetPeakBps") * 5 <= n(f, "poll.fleetGoPeakBps"),
  },
  {
    name: "connectDistinct",
    benchmark: "`connect.distinct`: 200 screens × their own 10 of a device of 2,000 — time until all live, server CPU",
    smokeSize: "20 screens of 200",
    needs: ["connect.distinctLiveMs", "connect.distinctCpuMs", "connect.distinctBaselineCpuMs"],
    ours: (f) =>
      `all live in ${(n(f, "connect.distinctLiveMs") / 1000).toFixed(1)} s; CPU ${(n(f, "connect.distinctCpuMs") / 1000).toFixed(1)} s ` +
      `(connect ${(n(f, "connect.distinctConnectCpuMs") / 1000).toFixed(1)} s; ${n(f, "connect.distinctGets")} GetPublication)`,
    baseline: (f) =>
      `per-publication streams: all live in ${(n(f, "connect.distinctBaselineLiveMs") / 1000).toFixed(1)} s; CPU ` +
      `${(n(f, "connect.distinctBaselineCpuMs") / 1000).toFixed(1)} s (connect ${(n(f, "connect.distinctBaselineConnectCpuMs") / 1000).toFixed(1)} s)`,
    target: "all live ≤ 30 s; CPU ≤ per-publication",
    pass: (f) => n(f, "connect.distinctLiveMs") <= 30_000 && n(f, "connect.distinctCpuMs") <= n(f, "connect.distinctBaselineCpuMs"),
  },
  {
    name: "coldStart",
    benchmark: "offline cold start: navigation → 4 cached publications rendered (median)",
    needs: ["coldStart.offlineMs", "coldStart.blankMs"],
    ours: (f) =>
      `${ms(n(f, "coldStart.offlineMs"))} (shell received ${ms(n(f, "coldStart.appResponseEndMs"))}, ` +
      `scripts run ${ms(n(f, "coldStart.appDomContentLoadedMs"))})`,
    baseline: (f) => `${ms(n(f, "coldStart.blankMs"))} (blank precached page loaded)`,
    target: "≤ blank + 100 ms",
    pass: (f) => n(f, "coldStart.offlineMs") <= n(f, "coldStart.blankMs") + 100,
  },
  {
    name: "storage",
    benchmark: "storage: our IndexedDB storage ÷ raw idb, 10 KB publications, write / read",
    needs: ["storage.writeRatio", "storage.readRatio"],
    ours: (f) => `${n(f, "storage.writeRatio").toFixed(2)}× / ${n(f, "storage.readRatio").toFixed(2)}×`,
    baseline: (f) =>
      `raw idb put ${ms(n(f, "storage.rawWriteMedianMs"))} / get ${ms(n(f, "storage.rawReadMedianMs"))} per op ` +
      `(writes ÷ raw idb storing the same protobuf bytes, strict durability: ${n(f, "storage.writeRatioVsRawEncoded").toFixed(2)}×)`,
    target: "≤ 1.25× both ways",
    pass: (f) => n(f, "storage.writeRatio") <= 1.25 && n(f, "storage.readRatio") <= 1.25,
  },
  {
    name: "bundle",
    benchmark: "bundle, gzipped: page client / worker / an embedder's worker (examples/vite-vue, from the packed package)",
    needs: ["bundle.clientGzBytes", "bundle.workerGzBytes", "bundle.exampleWorkerGzBytes"],
    ours: (f) =>
      `${kB(n(f, "bundle.clientGzBytes"))} / ${kB(n(f, "bundle.workerGzBytes"))} / ${kB(n(f, "bundle.exampleWorkerGzBytes"))} ` +
      `(+ ${kB(n(f, "bundle.clientDeferredGzBytes"))} every page fetches after it started, + ${kB(n(f, "bundle.clientLazyGzBytes"))} loaded only by a leader tab)`,
    baseline: (f) => `workbox-window ${kB(n(f, "bundle.workboxWindowGzBytes"))}`,
    target: "client ≤ 10 kB, worker ≤ 45 kB, embedder's worker ≤ ours + 1 kB",
    pass: (f) =>
      n(f, "bundle.clientGzBytes") <= 10_000 &&
      n(f, "bundle.workerGzBytes") <= 45_000 &&
      n(f, "bundle.exampleWorkerGzBytes") <= n(f, "bundle.workerGzBytes") + 1_000,
  },
  {
    name: "render",
    benchmark: "large JSON: 1 MB JSON publication, arrival → visible (median), online / offline boot",
    smokeSize: "250 kB",
    needs: ["render.largeJsonMs", "render.largeJsonBootMs", "render.smallJsonMs", "render.smallJsonBootMs"],
    ours: (f) => `${ms(n(f, "render.largeJsonMs"))} / ${ms(n(f, "render.largeJsonBootMs"))}`,
    baseline: (f) =>
      `1 KB publication: ${ms(n(f, "render.smallJsonMs"))} / ${ms(n(f, "render.smallJsonBootMs"))} ` +
      `(online: server commit → painted; offline boot: navigation → painted)`,
    target: "≤ 300 ms both",
    pass: (f) => n(f, "render.largeJsonMs") <= 300 && n(f, "render.largeJsonBootMs") <= 300,
  },
  {
    name: "herd",
    benchmark: "`herd.recoveryS`: 2,000 screens (device feeds) after a 60 s outage, server's return → every screen live",
    smokeSize: "200 screens",
    needs: ["herd.recoverySecJitter", "herd.recoverySecNoJitter", "herd.peakPerSecJitter", "herd.peakPerSecNoJitter"],
    ours: (f) =>
      `${n(f, "herd.recoverySecJitter")} s; peak ${n(f, "herd.peakPerSecJitter")} calls/s ` +
      `(from the return on ${n(f, "herd.peakAfterReturnPerSecJitter")}/s); backoff ${n(f, "herd.backoffMinS")} s → ${n(f, "herd.backoffMaxS")} s, ±75 %`,
    baseline: (f) =>
      `jitter off: ${n(f, "herd.recoverySecNoJitter")} s; peak ${n(f, "herd.peakPerSecNoJitter")}/s ` +
      `(from the return on ${n(f, "herd.peakAfterReturnPerSecNoJitter")}/s)`,
    target: "≤ 60 s, peak ≤ 1/10 of jitter off",
    pass: (f) => n(f, "herd.recoverySecJitter") <= 60 && n(f, "herd.peakPerSecJitter") * 10 <= n(f, "herd.peakPerSecNoJitter"),
  },
  {
    name: "server",
    benchmark: "`server.cpuRatio`: dev-server CPU time, 200 screens × the same 10 publications, 1 update/s, 30 s (device feeds ÷ per-publication streams)",
    smokeSize: "20 screens, 5 s",
    needs: ["server.cpuMs", "server.baselineCpuMs"],
    ours: (f) =>
      `${(n(f, "server.cpuMs") / n(f, "server.baselineCpuMs")).toFixed(2)} (${(n(f, "server.cpuMs") / 1000).toFixed(1)} s: ` +
      `connect ${(n(f, "server.connectCpuMs") / 1000).toFixed(1)} s + updates ${(n(f, "server.windowCpuMs") / 1000).toFixed(1)} s; ` +
      `${n(f, "server.streams")} streams, ${n(f, "server.getCalls")} GetPublication)`,
    baseline: (f) =>
      `${(n(f, "server.baselineCpuMs") / 1000).toFixed(1)} s (connect ${(n(f, "server.baselineConnectCpuMs") / 1000).toFixed(1)} s + ` +
      `updates ${(n(f, "server.baselineWindowCpuMs") / 1000).toFixed(1)} s; ${n(f, "server.baselineStreams")} streams)`,
    target: "≤ 1/5",
    pass: (f) => n(f, "server.cpuMs") * 5 <= n(f, "server.baselineCpuMs"),
  },
  {
    name: "server",
    benchmark: "`server.memRatio`: dev-server memory the 200 screens add, used heap after GC (RSS beside)",
    smokeSize: "20 screens",
    needs: ["server.heapGrowthBytes", "server.baselineHeapGrowthBytes"],
    ours: (f) =>
      `${(n(f, "server.heapGrowthBytes") / n(f, "server.baselineHeapGrowthBytes")).toFixed(2)} (heap ${growth(n(f, "server.heapGrowthBytes"))}; ` +
      `RSS ${growth(n(f, "server.rssGrowthBytes"))}, ratio ${(n(f, "server.rssGrowthBytes") / n(f, "server.baselineRssGrowthBytes")).toFixed(2)})`,
    baseline: (f) => `heap ${growth(n(f, "server.baselineHeapGrowthBytes"))}; RSS ${growth(n(f, "server.baselineRssGrowthBytes"))}`,
    target: "≤ 1/5",
    pass: (f) => n(f, "server.heapGrowthBytes") * 5 <= n(f, "server.baselineHeapGrowthBytes"),
  },
  {
    name: "memory",
    benchmark: "memory: heap growth of one cache, 24 h simulated, 1 update/min",
    smokeSize: "2 h simulated",
    needs: ["memory.heapGrowthBytes"],
    ours: (f) => `${MB(n(f, "memory.heapGrowthBytes"))} (next 24 h: ${MB(n(f, "memory.secondDayGrowthBytes"))})`,
    baseline: () => "—",
    target: "≤ 1 MB",
    pass: (f) => n(f, "memory.heapGrowthBytes") <= 1_000_000,
  },
  {
    name: "workerMemory",
    benchmark:
      "worker memory: the real service worker's heap after forced GC, 3 tabs (heartbeat every 250 ms), 2,000 updates of 1 KB, growth after a 200-update warm-up",
    smokeSize: "200 updates, warm-up 50",
    needs: ["memory.workerHeapGrowthBytes"],
    ours: (f) =>
      `${MB(n(f, "memory.workerHeapGrowthBytes"))} (${n(f, "memory.workerBytesPerUpdate")} bytes/update; ` +
      `${MB(n(f, "memory.workerWarmHeapBytes"))} → ${MB(n(f, "memory.workerEndHeapBytes"))}; last quarter ${kB(n(f, "memory.workerLastQuarterGrowthBytes"))}; ` +
      `${n(f, "memory.workerHeartbeats")} heartbeats)`,
    baseline: (f) => `each tab's heap, same run: ${kB(n(f, "memory.workerTabGrowthBytes"))} at most`,
    target: "≤ 0.5 MB",
    pass: (f) => n(f, "memory.workerHeapGrowthBytes") <= 500_000,
  },
];

/** Each row's verdict: PASS/MISS (never in smoke mode), CRASH when its figures are missing. */
export function verdicts(figures: Figures, smoke: boolean, ran: (name: string) => boolean = () => true): Verdict[] {
  return ROWS.map((row) => {
    if (!ran(row.name)) return "not run";
    if (!row.needs.every((name) => Number.isFinite(figures[name]))) return "CRASH";
    if (smoke || row.pass === undefined) return "—";
    return row.pass(figures) ? "PASS" : "MISS";
  });
}

/** The table as Markdown (readable in a terminal, pasted as is into the README). */
export function renderTable(figures: Figures, smoke: boolean, ran?: (name: string) => boolean): string {
  const marks = verdicts(figures, smoke, ran);
  const lines = [
    "| benchmark | pubcache-web | baseline, same run | target | |",
    "|---|---|---|---|---|",
  ];
  ROWS.forEach((row, i) => {
    const ok = marks[i] !== "CRASH" && marks[i] !== "not run";
    const cell = (render: (f: Figures) => string) => {
      if (!ok) return "—";
      try {
        return render(figures);
      } catch {
        return "?";
      }
    };
    const label = smoke && row.smokeSize ? `${row.benchmark} (smoke run: ${row.smokeSize})` : row.benchmark;
    lines.push(`| ${label} | ${cell(row.ours)} | ${cell(row.baseline)} | ${row.target} | ${marks[i]} |`);
  });
  return lines.join("\n");
}
