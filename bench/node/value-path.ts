/**
 * `channel.bytesPerStateChange` and `host.encodesPerUpdate` (issue 16): the
 * real host (cache host, feed pool, device feed, IndexedDB storage in
 * fake-indexeddb) on an in-memory device server under a fake clock, five
 * tabs on the broadcast. Prints JSON.
 *
 * - bytes: what the host posts to the tabs while a 1 MB publication's state
 *   goes live → retrying → live with no new value, measured as the
 *   structured-clone size (`v8.serialize`, what postMessage copies); the
 *   same run's baseline is those messages sent the old way, as full
 *   snapshots with the body.
 * - encodes: whole-publication encodes in the host per new value; the same
 *   run's baseline is every time a layer asked for the bytes (compare, store,
 *   each snapshot), which the old code answered with an encode each.
 */
import { serialize } from "node:v8";
import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { encodedPublicationAsks, publicationEncodes } from "../../src/core/encoded-publication.js";
import { PublicationSchema } from "../../src/gen/smartcore/traits/publication_pb.js";
import { createCacheHost } from "../../src/host/cache-host.js";
import { createFeedFactory } from "../../src/host/feed-factory.js";
import { memoryTokenKeeper } from "../../src/host/host-types.js";
import { envelope, type ToPageMessage } from "../../src/protocol/messages.js";
import { openPubCacheDatabase } from "../../src/storage/idb/database.js";
import { FakeClock, settle } from "../../src/core/testing/fake-clock.js";
import { FakeDeviceServer } from "../../src/core/testing/fake-device-server.js";
import { seededRandom } from "../../src/core/random.js";

export interface ValuePathResult {
  readonly tabs: number;
  readonly bodyBytes: number;
  /** Per tab: bytes posted during live → retrying → live, and the old way (full snapshots). */
  readonly bytesPerStateChange: number;
  readonly baselineBytesPerStateChange: number;
  readonly stateMessages: number;
  /** Whole-body encodes in the host per new value, and how many times the bytes were asked for (the old encodes). */
  readonly encodesPerUpdate: number;
  readonly baselineEncodesPerUpdate: number;
  readonly updates: number;
}

const smoke = process.argv.includes("--smoke");
const TABS = 5;
const BODY = smoke ? 64 * 1024 : 1024 * 1024;
const UPDATES = smoke ? 2 : 5;
const scope = { server: "http://bms.example", device: "dev", partition: "" };
const ref = { ...scope, id: "floor-plan" };

const clock = new FakeClock();
const server = new FakeDeviceServer(() => clock.now());
const db = openPubCacheDatabase({ name: "value-path", factory: new IDBFactory() });
const feeds = createFeedFactory({ db, tokens: memoryTokenKeeper(), clock, random: seededRandom(1), transportFor: (_s, interceptors) => server.transportWith(interceptors) });
const sent: ToPageMessage[] = [];
const host = createCacheHost({ hostId: "bench", broadcast: (m) => void sent.push(m), createFeed: feeds, clearStorage: async () => undefined, clock });
const plan = (version: string) => create(PublicationSchema, { id: ref.id, version, body: new Uint8Array(BODY).fill(version.length), mediaType: "image/svg+xml" });

/** Lets the fake clock and IndexedDB (real timers in fake-indexeddb) move on. */
async function run(ms: number): Promise<void> {
  await clock.advance(ms);
  await settle(20);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await settle(20);
}

server.seed(plan("v1"));
for (let tab = 0; tab < TABS; tab++) host.receive(envelope({ type: "subscribe", clientId: `tab-${tab}`, claim: { ref } }));
await run(2_000);
const stateOf = () => {
  const last = sent.filter((m) => (m.type === "snapshot" || m.type === "state") && m.ref.id === ref.id).at(-1);
  return last?.type === "snapshot" ? last.snapshot.state.kind : last?.type === "state" ? last.change.state.kind : undefined;
};
if (stateOf() !== "live") throw new Error(`not live after start: ${stateOf()}`);

// New values: encodes per update.
const encodesBefore = publicationEncodes();
const asksBefore = encodedPublicationAsks();
for (let i = 2; i < 2 + UPDATES; i++) {
  server.publish(plan(`v${i}`));
  await run(1_000);
}
const encodesPerUpdate = (publicationEncodes() - encodesBefore) / UPDATES;
const baselineEncodesPerUpdate = (encodedPublicationAsks() - asksBefore) / UPDATES;

// live → retrying → live, no new value.
const from = sent.length;
server.endStreams(Code.Unavailable);
await run(100);
if (stateOf() !== "retrying") throw new Error(`not retrying after the stream broke: ${stateOf()}`);
await run(60_000);
if (stateOf() !== "live") throw new Error(`not live again: ${stateOf()}`);
const posted = sent.slice(from).filter((m) => (m.type === "snapshot" || m.type === "state") && m.ref.id === ref.id);
const size = (m: unknown) => serialize(m).length;
if (process.env.VALUE_PATH_DEBUG) for (const m of posted) process.stderr.write(`${size(m)} ${JSON.stringify(m)}\n`);
const bytesPerStateChange = posted.reduce((sum, m) => sum + size(m), 0);
// The old way: every one of these a full snapshot with the value's bytes.
const fullSnapshot = sent.filter((m) => m.type === "snapshot" && m.ref.id === ref.id).at(-1);
const baselineBytesPerStateChange = posted.reduce((sum, m) => sum + (m.type === "state" && fullSnapshot ? size(fullSnapshot) : size(m)), 0);

await host.close();
db.close();
const result: ValuePathResult = {
  tabs: TABS,
  bodyBytes: BODY,
  bytesPerStateChange,
  baselineBytesPerStateChange,
  stateMessages: posted.length,
  encodesPerUpdate,
  baselineEncodesPerUpdate,
  updates: UPDATES,
};
process.stdout.write(JSON.stringify(result));
process.exit(0);
