/**
 * Memory: one cache streaming from an in-memory server under a fake clock,
 * one update a minute for 24 h of simulated time (1,440 updates of 1 KB).
 * The figure is the growth of the used heap from after a one-hour warm-up
 * to the end, each measured after forced full collections; then the growth
 * over a second simulated day, to tell a leak from warm-up. Needs
 * `--expose-gc`; prints JSON. `--smoke` simulates 2 h.
 *
 *   node --expose-gc --import tsx bench/node/memory.ts [--smoke]
 */
import { getHeapStatistics } from "node:v8";
import { FakeClock } from "../../src/core/testing/fake-clock.js";
import { FakePublicationServer, publication } from "../../src/core/testing/fake-publication-server.js";
import { createPublicationCache } from "../../src/core/publication-cache.js";
import { seededRandom } from "../../src/core/random.js";
import { createMemoryStorage } from "../../src/storage/memory/memory-storage.js";

const MINUTE = 60_000;

async function usedHeapAfterGc(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc");
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return getHeapStatistics().used_heap_size;
}

export interface MemoryResult {
  /** Used heap after the simulated day minus before it. */
  readonly heapGrowthBytes: number;
  /** The same over a second simulated day: a leak grows again, warm-up effects (JIT code, feedback) do not. */
  readonly secondDayGrowthBytes: number;
  readonly updates: number;
  readonly heapBeforeBytes: number;
  /** Timers the cache holds at the end (a timer leak would show here). */
  readonly pendingTimers: number;
}

export async function measureMemory(hours: number): Promise<MemoryResult> {
  const clock = new FakeClock();
  const server = new FakePublicationServer("dev", () => clock.now());
  const id = "memory";
  const body = "x".repeat(1024);
  server.publish(publication(id, "v0", body));
  const cache = createPublicationCache({
    client: server.client,
    device: "dev",
    id,
    clock,
    random: seededRandom(1),
    storage: createMemoryStorage(),
  });
  let delivered = 0;
  // What a host does: a value subscriber and a state watcher.
  cache.subscribe(() => delivered++);
  cache.watch(() => {});

  let version = 0;
  const minutes = async (count: number) => {
    for (let i = 0; i < count; i++) {
      server.publish(publication(id, `v${++version}`, body));
      await clock.advance(MINUTE);
    }
  };
  await minutes(60);
  const before = await usedHeapAfterGc();
  const deliveredBefore = delivered;
  await minutes(hours * 60);
  const after = await usedHeapAfterGc();
  const updates = delivered - deliveredBefore;
  if (updates !== hours * 60) throw new Error(`expected ${hours * 60} deliveries, got ${updates}`);
  await minutes(hours * 60);
  const afterSecondDay = await usedHeapAfterGc();
  const pendingTimers = clock.pendingTimers;
  cache.close();
  return { heapGrowthBytes: after - before, secondDayGrowthBytes: afterSecondDay - after, updates, heapBeforeBytes: before, pendingTimers };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureMemory(process.argv.includes("--smoke") ? 2 : 24);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
