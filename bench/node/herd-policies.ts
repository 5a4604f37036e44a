/**
 * The backoff policies we weighed for the default (README, Performance:
 * "Herd"), each through the herd simulation of herd.ts: 2,000 screens, a
 * 60 s outage — peak calls per second, the peak from the server's return
 * on, and the recovery (return → every screen live) — and a 20 min outage
 * with 500 screens for the steady load a long outage causes (calls per
 * second per 1,000 screens over its last third). Not part of `npm run
 * bench` (about 10 min); prints a Markdown table.
 *
 *   node --import tsx bench/node/herd-policies.ts [--screens N]
 */
import { parseArgs } from "node:util";
import type { BackoffOptions } from "../../src/core/backoff.js";
import { simulateHerd } from "./herd.js";

const POLICIES: ReadonlyArray<readonly [string, Required<Omit<BackoffOptions, "refusedMs">>]> = [
  ["10 s → 5 min, ±75 % (the default until Dec 2026)", { minMs: 10_000, maxMs: 300_000, jitter: "wide" }],
  ["10 s → 2 min, ±75 %", { minMs: 10_000, maxMs: 120_000, jitter: "wide" }],
  ["10 s → 60 s, ±75 %", { minMs: 10_000, maxMs: 60_000, jitter: "wide" }],
  ["10 s → 40 s, ±50 %", { minMs: 10_000, maxMs: 40_000, jitter: "half" }],
  ["10 s → 30 s, ±75 %", { minMs: 10_000, maxMs: 30_000, jitter: "wide" }],
  ["10 s → 60 s, full jitter (0–100 %)", { minMs: 10_000, maxMs: 60_000, jitter: "full" }],
  ["5 s → 30 s, ±75 %", { minMs: 5_000, maxMs: 30_000, jitter: "wide" }],
  ["10 s → 30 s, jitter off (lock-step)", { minMs: 10_000, maxMs: 30_000, jitter: "none" }],
];

const { values } = parseArgs({ options: { screens: { type: "string", default: "2000" } }, strict: true });
const screens = Number(values.screens);
const lines = [
  `| policy (min → nominal cap, jitter) | peak/s, ${screens} screens, 60 s outage | peak/s from the return on | all live after the return | calls/s per 1,000 screens during a 20 min outage |`,
  "|---|---|---|---|---|",
];
for (const [label, policy] of POLICIES) {
  const short = await simulateHerd(screens, policy);
  const long = await simulateHerd(Math.min(500, screens), policy, { outageMs: 20 * 60_000 });
  lines.push(`| ${label} | ${short.peakPerSec} | ${short.peakAfterReturnPerSec} | ${short.recoverySec} s | ${long.outageCallsPerSecPer1000} |`);
  process.stderr.write(`${lines.at(-1)}\n`);
}
process.stdout.write(`${lines.join("\n")}\n`);
