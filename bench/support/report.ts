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
  readonly pass: (f: Figures) => boolean;
}

const n = (f: Figures, name: string) => f[name] as number;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const MB = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

/** The rows of the table, one per benchmark, with their targets. */
export const ROWS: readonly Row[] = [
  {
    name: "fanout",
    benchmark: "fan-out: open upstream streams, 5 tabs × 4 publications",
    needs: ["fanout.upstreamStreams", "fanout.naiveStreams"],
    ours: (f) => `${n(f, "fanout.upstreamStreams")}`,
    baseline: (f) =>
      `${n(f, "fanout.naiveStreams")} (own streams per tab; in one profile ${n(f, "fanout.naiveSameProfileStreams")} open and ` +
      `${n(f, "fanout.naiveSameProfileTabsShowing")}/5 tabs show all)`,
    target: "= number of publications (4)",
    pass: (f) => n(f, "fanout.upstreamStreams") === n(f, "fanout.publications"),
  },
  {
    name: "latency",
    benchmark: "latency: server commit → rendered in all 5 tabs, p50 / p99",
    needs: ["latency.p50Ms", "latency.p99Ms", "latency.directP50Ms", "latency.directP99Ms"],
    ours: (f) =>
      `${ms(n(f, "latency.p50Ms"))} / ${ms(n(f, "latency.p99Ms"))} ` +
      `(first of the 5 tabs: ${ms(n(f, "latency.firstTabP50Ms"))} / ${ms(n(f, "latency.firstTabP99Ms"))})`,
    baseline: (f) => `${ms(n(f, "latency.directP50Ms"))} / ${ms(n(f, "latency.directP99Ms"))} (one tab, direct stream)`,
    target: "p99 ≤ direct p99 + 15 ms",
    pass: (f) => n(f, "latency.p99Ms") <= n(f, "latency.directP99Ms") + 15,
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
      `(+ ${kB(n(f, "bundle.clientLazyGzBytes"))} loaded only by a leader tab)`,
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
    benchmark: "herd: 2,000 caches after a 60 s outage, peak calls per second",
    smokeSize: "200 caches",
    needs: ["herd.peakPerSecJitter", "herd.peakPerSecNoJitter"],
    ours: (f) =>
      `${n(f, "herd.peakPerSecJitter")}/s (from the server's return on: ${n(f, "herd.peakAfterReturnPerSecJitter")}/s; ` +
      `all live ${n(f, "herd.recoverySecJitter")} s after it)`,
    baseline: (f) =>
      `${n(f, "herd.peakPerSecNoJitter")}/s with jitter off (from the return on: ${n(f, "herd.peakAfterReturnPerSecNoJitter")}/s; ` +
      `all live ${n(f, "herd.recoverySecNoJitter")} s after it)`,
    target: "≤ 1/10 of jitter off",
    pass: (f) => n(f, "herd.peakPerSecJitter") * 10 <= n(f, "herd.peakPerSecNoJitter"),
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
    if (smoke) return "—";
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
