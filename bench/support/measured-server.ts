/**
 * The development server's own CLI (`src/server/cli.ts`, what `npm run
 * server` runs, with its log line per call on stdout), in a process that
 * also answers its own CPU time and memory over the IPC channel of its
 * parent — so a benchmark can measure what the server spends, the heap
 * included (which /proc cannot tell). Started by `startMeasuredServer`
 * (measured-server-process.ts) with `--expose-gc`; the arguments are the
 * CLI's.
 */
import type { ServerUsage } from "./measured-server-process.js";

process.on("message", (message: unknown) => {
  if (typeof message !== "object" || message === null || (message as { type?: unknown }).type !== "usage") return;
  // CPU first: the collections below are the measurement's own cost.
  const cpu = process.cpuUsage();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const memory = process.memoryUsage();
  const after = process.cpuUsage();
  const usage: ServerUsage = {
    cpuMs: (cpu.user + cpu.system) / 1000,
    cpuAfterMs: (after.user + after.system) / 1000,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    externalBytes: memory.external,
    collected: gc !== undefined,
  };
  process.send?.(usage);
});

await import("../../src/server/cli.js");
