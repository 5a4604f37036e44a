import type { Figures } from "../support/env.js";
import type { RunScript } from "./node-benchmarks.js";
import type { ValuePathResult } from "./value-path.js";

/**
 * The two rows of issue 16 — one path for a value — kept in their own file
 * (and printed by their own table below the main one) so the main table's
 * code stays untouched.
 */
export async function valuePath(run: RunScript, log: (line: string) => void): Promise<Figures> {
  const r = await run<ValuePathResult>("bench/node/value-path.ts");
  log(`valuePath: ${JSON.stringify(r)}`);
  return {
    "channel.bytesPerStateChange": r.bytesPerStateChange,
    "channel.baselineBytesPerStateChange": r.baselineBytesPerStateChange,
    "channel.stateMessages": r.stateMessages,
    "channel.bodyBytes": r.bodyBytes,
    "channel.tabs": r.tabs,
    "host.encodesPerUpdate": r.encodesPerUpdate,
    "host.baselineEncodesPerUpdate": r.baselineEncodesPerUpdate,
  };
}

/** The rows as text (markdown, like the main table); empty when the benchmark did not run. */
export function renderValuePath(f: Figures, smoke: boolean): string {
  if (f["channel.bytesPerStateChange"] === undefined) return "";
  const bytes = f["channel.bytesPerStateChange"];
  const encodes = f["host.encodesPerUpdate"]!;
  const judge = (ok: boolean) => (smoke ? "—" : ok ? "PASS" : "MISS");
  const body = `${(f["channel.bodyBytes"]! / 1e6).toFixed(2)} MB`;
  return [
    "| benchmark | ours | baseline (same run) | target | |",
    "|---|---|---|---|---|",
    `| \`channel.bytesPerStateChange\`: bytes posted host → each tab while a ${body} publication goes live → retrying → live, no new value (${f["channel.tabs"]} tabs) | ${bytes} B in ${f["channel.stateMessages"]} state messages | every one a full snapshot: ${(f["channel.baselineBytesPerStateChange"]! / 1e6).toFixed(2)} MB | ≤ 1 kB per tab | ${judge(bytes <= 1000)} |`,
    `| \`host.encodesPerUpdate\`: whole-body encodes in the host per new value | ${encodes} | an encode per ask (compare, store, each snapshot): ${f["host.baselineEncodesPerUpdate"]} | 1 | ${judge(encodes === 1)} |`,
  ].join("\n");
}
