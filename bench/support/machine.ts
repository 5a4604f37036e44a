import { cpus, totalmem } from "node:os";
import { availableParallelism } from "node:os";

export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly chromium: string;
  readonly platform: string;
}

/** The machine a run measured, for the JSON and the README. */
export function describeMachine(chromium: string): Machine {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    chromium,
    platform: `${process.platform} ${process.arch}`,
  };
}
