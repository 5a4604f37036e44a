/**
 * What one poll costs, on the wire, against the development server run as
 * `--db-like` (exactly `pgxpublications`: no pulls, read masks ignored): a
 * device of 500 publications of 2 kB, a screen (the core's device feed in
 * Node over the gRPC-Web transport a browser uses, uncompressed as in a
 * browser) that wants 10, polling every second for the measurement. The
 * figure is the response bytes the server sent per poll (`/debug/stats`
 * `bytesSent`, all methods), over 5 polls once the screen is polling.
 *
 * Baseline: the device listing the feed made before (one ListPublications
 * with a metadata mask, which this server answers with every body). Target
 * figure: the 10 bodies as 10 GetPublication answers send them, + 10 %.
 * Prints JSON; `--smoke`: 100 publications, 2 polls.
 *
 *   node --import tsx bench/node/poll-bytes.ts [--smoke]
 */
import { parseArgs } from "node:util";
import { DevServer } from "../../e2e/support/dev-server.js";
import { createDeviceFeed } from "../../src/core/feed/device-feed.js";
import { METADATA_READ_MASK } from "../../src/core/feed/publication-metadata.js";
import { systemClock } from "../../src/platform/system-clock.js";
import { systemRandom } from "../../src/platform/system-random.js";
import { createMemoryStorage } from "../../src/storage/memory/memory-storage.js";
import { screenClient, serverStats, showOn, total, until } from "../support/node-screen.js";

const BODY_BYTES = 2_048;
const WANTED = 10;

export interface PollBytesResult {
  readonly publications: number;
  readonly polls: number;
  readonly bytesPerPoll: number;
  readonly callsPerPoll: Record<string, number>;
  /** One ListPublications of the device with a metadata mask (what each poll cost before). */
  readonly listingBytes: number;
  /** 10 GetPublication answers of the wanted publications. */
  readonly tenBodiesBytes: number;
  /** One body's bytes. */
  readonly bodyBytes: number;
}

export async function measurePollBytes(publications: number, polls: number): Promise<PollBytesResult> {
  const server = await DevServer.start({ dbLike: true });
  try {
    const ids = Array.from({ length: publications }, (_, i) => `cfg-${String(i).padStart(4, "0")}`);
    const client = screenClient(server.url);
    const body = (id: string) => new TextEncoder().encode(JSON.stringify({ id, note: "" }).padEnd(BODY_BYTES, " "));
    // As on a real site: each publication created once (this server's Update needs an existing id).
    for (let i = 0; i < ids.length; i += 25) {
      await Promise.all(
        ids.slice(i, i + 25).map((id) => client.createPublication({ name: "", publication: { id, body: body(id), mediaType: "application/json" } })),
      );
    }
    const wanted = ids.filter((_, i) => i % Math.floor(publications / WANTED) === 0).slice(0, WANTED);

    const sent = async () => total((await serverStats(server.url)).bytesSent);
    const calls = async () => (await serverStats(server.url)).calls;
    let before = await sent();
    await client.listPublications({ name: "", readMask: METADATA_READ_MASK, pageSize: 1000 });
    const listingBytes = (await sent()) - before;
    before = await sent();
    for (const id of wanted) await client.getPublication({ name: "", id });
    const tenBodiesBytes = (await sent()) - before;

    const feed = createDeviceFeed({ client, device: "", clock: systemClock, random: systemRandom, storage: createMemoryStorage(), pollIntervalMs: 1_000 });
    const views = showOn(feed, wanted);
    await until(() => views.every((view) => view.snapshot().state.kind === "polling" && view.snapshot().value !== undefined), 30_000, "the screen to poll");
    // Start on a poll's edge: wait for the next one to finish.
    const getsNow = async () => (await calls()).GetPublication ?? 0;
    const edge = async (gets: number) => {
      const target = gets + WANTED;
      const deadline = Date.now() + 10_000;
      while ((await getsNow()) < target) {
        if (Date.now() > deadline) throw new Error("the screen stopped polling");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Its answers are in flight for a moment after the calls are counted.
      await new Promise((resolve) => setTimeout(resolve, 200));
    };
    await edge(await getsNow());
    const startCalls = await calls();
    const startBytes = await sent();
    for (let p = 0; p < polls; p++) await edge(await getsNow());
    const endCalls = await calls();
    const bytes = (await sent()) - startBytes;
    feed.close();
    const callsPerPoll: Record<string, number> = {};
    for (const [method, n] of Object.entries(endCalls)) {
      const d = n - (startCalls[method] ?? 0);
      if (d > 0) callsPerPoll[method] = d / polls;
    }
    return { publications, polls, bytesPerPoll: Math.round(bytes / polls), callsPerPoll, listingBytes, tenBodiesBytes, bodyBytes: BODY_BYTES };
  } finally {
    await server.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { smoke: { type: "boolean", default: false } } });
  const smoke = values.smoke ?? false;
  console.log(JSON.stringify(await measurePollBytes(smoke ? 100 : 500, smoke ? 2 : 5)));
}
