/**
 * What one reconnect costs in bytes: a device with 500 publications of
 * 2 KB; a screen (the core's device feed in Node, over the same gRPC-Web
 * transport a browser uses, without compression as in a browser) holds the
 * 10 it shows in its storage at the current versions and reconnects. The
 * figure is the response bytes the development server sent for that
 * reconnect, all methods (`/debug/stats` `bytesSent`), counted until the
 * screen is live and the server has sent nothing more for 1.5 s.
 *
 * Beside it: the same when the 10 changed while the screen was away (their
 * bodies are downloaded); the baseline, a PullPublications without a read
 * mask (every body of the device); and the target, 10 bodies + the
 * metadata of those 10 (what the screen wants, not the device's 500
 * records), computed from the encoded sizes of what the server holds,
 * plus the one-id ListPublications answer by which a starting feed learns
 * the device's size (a fixed ~70 B: bounded, whatever the device).
 * Prints JSON; `--smoke`: 100 publications.
 *
 *   node --import tsx bench/node/connect-bytes.ts [--smoke]
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { trailerSerialize } from "@connectrpc/connect/protocol-grpc-web";
import { DevServer } from "../../e2e/support/dev-server.js";
import { ID_READ_MASK, METADATA_READ_MASK } from "../../src/core/feed/publication-metadata.js";
import { seededRandom } from "../../src/core/random.js";
import { PublicationApi, PublicationSchema, PullPublicationsResponseSchema, type Publication } from "../../src/gen/smartcore/traits/publication_pb.js";
import { ChangeType } from "../../src/gen/smartcore/types/change_pb.js";
import { createMemoryStorage } from "../../src/storage/memory/memory-storage.js";
import { createPublisher } from "../support/publisher.js";
import { allLive, delta, screenClient, screenFeed, serverStats, showOn, total, until } from "../support/node-screen.js";

const BODY_BYTES = 2_048;
const WANTED = 10;
/** gRPC-Web: a 5-byte header before every message and before the trailers. */
const FRAME_HEADER = 5;

export interface ConnectBytesResult {
  readonly publications: number;
  readonly wanted: number;
  /** A reconnect, nothing changed while away. */
  readonly bytes: number;
  readonly calls: Record<string, number>;
  /** A reconnect after the 10 wanted ones changed. */
  readonly changedBytes: number;
  readonly changedCalls: Record<string, number>;
  /** PullPublications without a read mask, until its opening changes are in. */
  readonly baselineBytes: number;
  /** The 10 bodies + their metadata records + the size probe's answer, from the encoded sizes. */
  readonly targetBytes: number;
  /** The size probe's answer (one id, a page token, the device's size). */
  readonly probeBytes: number;
  /** One metadata record as the stream sends it (mean). */
  readonly metadataRecordBytes: number;
  /** One body as a GetPublication sends it (mean over the 10, trailers included). */
  readonly bodyBytes: number;
  /** One GetPublication of a 2 KB publication: as a browser gets it, and with connect-node's default (gzip accepted). */
  readonly getPlainBytes: number;
  readonly getGzipAcceptedBytes: number;
}

export async function measureConnectBytes(publications: number): Promise<ConnectBytesResult> {
  const server = await DevServer.start();
  try {
    const ids = Array.from({ length: publications }, (_, i) => `zone-${String(i).padStart(4, "0")}`);
    const random = seededRandom(3);
    const bodyOf = (id: string, round: number) => {
      const head = JSON.stringify({ id, round, zone: id, note: "" });
      let filler = "";
      while (head.length + filler.length < BODY_BYTES) filler += random().toString(36).slice(2);
      return JSON.stringify({ id, round, zone: id, note: filler.slice(0, BODY_BYTES - head.length) });
    };
    const publish = createPublisher(server.url);
    for (let i = 0; i < ids.length; i += 25) await Promise.all(ids.slice(i, i + 25).map((id) => publish(id, bodyOf(id, 0), "application/json")));
    const wanted = ids.filter((_, i) => i % Math.floor(publications / WANTED) === 0).slice(0, WANTED);

    const client = screenClient(server.url);
    const storage = createMemoryStorage();
    const current = async () => {
      const versions = new Map<string, string>();
      for (const id of wanted) versions.set(id, (await client.getPublication({ name: "", id })).version);
      return versions;
    };

    // The screen's first visit fills its storage with the 10, then it goes away.
    await reconnect(server, client, storage, wanted, await current());
    // Reconnect, nothing changed.
    const unchanged = await reconnect(server, client, storage, wanted, await current());
    // Reconnect after the 10 changed while away.
    for (const id of wanted) await publish(id, bodyOf(id, 1), "application/json");
    const changed = await reconnect(server, client, storage, wanted, await current());

    // Target, from the encoded sizes of what the server now holds.
    const held = await listAll(client);
    if (held.length !== publications) throw new Error(`the server lists ${held.length} publications, not ${publications}`);
    const metadata = held.reduce((sum, p) => sum + metadataRecordBytes(p), 0);
    // The target: what the screen wants — its bodies and their metadata — not the device.
    const wantedMetadata = held.filter((p) => wanted.includes(p.id)).reduce((sum, p) => sum + metadataRecordBytes(p), 0);
    const trailer = FRAME_HEADER + trailerSerialize(new Headers({ "grpc-status": "0" })).byteLength;
    const bodies = held.filter((p) => wanted.includes(p.id)).reduce((sum, p) => sum + FRAME_HEADER + toBinary(PublicationSchema, p).byteLength + trailer, 0);
    // A new feed (a screen or worker starting) first asks one page of one id to learn
    // the device's size (stream-shape-probe.ts): its answer, as the server sends it.
    const probeBytes = await getBytes(server, () => client.listPublications({ name: "", pageSize: 1, readMask: ID_READ_MASK }), "ListPublications");

    // Baseline: PullPublications without a read mask, until every opening change is in.
    const baselineBytes = await openingSnapshotBytes(server, client, publications);

    // What gzip would change: connect-node's default transport accepts gzip, the browser's does not.
    const gzipClient = createClient(PublicationApi, createGrpcWebTransport({ baseUrl: server.url, httpVersion: "1.1" }));
    const getPlainBytes = await getBytes(server, () => client.getPublication({ name: "", id: wanted[0]! }));
    const getGzipAcceptedBytes = await getBytes(server, () => gzipClient.getPublication({ name: "", id: wanted[0]! }));

    return {
      publications,
      wanted: wanted.length,
      bytes: unchanged.bytes,
      calls: unchanged.calls,
      changedBytes: changed.bytes,
      changedCalls: changed.calls,
      baselineBytes,
      targetBytes: bodies + wantedMetadata + probeBytes,
      probeBytes,
      metadataRecordBytes: Math.round(metadata / publications),
      bodyBytes: Math.round(bodies / wanted.length),
      getPlainBytes,
      getGzipAcceptedBytes,
    };
  } finally {
    await server.dispose();
  }
}

/**
 * One screen connecting with `storage`: live at `versions`, then quiet on
 * the server for 1.5 s (the feed waits 1 s for the opening changes to
 * settle before it decides anything else). Returns what the server sent.
 */
async function reconnect(
  server: DevServer,
  client: ReturnType<typeof screenClient>,
  storage: ReturnType<typeof createMemoryStorage>,
  ids: readonly string[],
  versions: ReadonlyMap<string, string>,
): Promise<{ bytes: number; calls: Record<string, number> }> {
  const before = await serverStats(server.url);
  const feed = screenFeed(client, storage);
  try {
    const views = showOn(feed, ids);
    await until(() => allLive(views, versions), 30_000, "the screen to be live at the current versions");
    let last = total((await serverStats(server.url)).bytesSent);
    let since = Date.now();
    while (Date.now() - since < 1_500) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = total((await serverStats(server.url)).bytesSent);
      if (now !== last) {
        last = now;
        since = Date.now();
      }
    }
    const after = await serverStats(server.url);
    return { bytes: total(after.bytesSent) - total(before.bytesSent), calls: delta(before.calls, after.calls) };
  } finally {
    feed.close();
  }
}

/** A metadata record as the server frames it on a feed's stream: ADD, read mask as the feed's, dated at its last write. */
function metadataRecordBytes(p: Publication): number {
  const meta = create(PublicationSchema, {
    id: p.id,
    version: p.version,
    mediaType: p.mediaType,
    ...(p.publishTime && { publishTime: p.publishTime }),
    ...(p.audience && { audience: p.audience }),
  });
  if (METADATA_READ_MASK.paths.length !== 5) throw new Error("the feed's read mask changed: update metadataRecordBytes");
  const response = create(PullPublicationsResponseSchema, {
    changes: [{ name: "", type: ChangeType.ADD, newValue: meta, ...(p.publishTime && { changeTime: p.publishTime }) }],
  });
  return FRAME_HEADER + toBinary(PullPublicationsResponseSchema, response).byteLength;
}

async function listAll(client: ReturnType<typeof screenClient>): Promise<Publication[]> {
  const out: Publication[] = [];
  let pageToken = "";
  do {
    const page = await client.listPublications({ name: "", pageSize: 1000, pageToken });
    out.push(...page.publications);
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return out;
}

async function openingSnapshotBytes(server: DevServer, client: ReturnType<typeof screenClient>, publications: number): Promise<number> {
  const before = await serverStats(server.url);
  const abort = new AbortController();
  let received = 0;
  try {
    for await (const response of client.pullPublications({ name: "" }, { signal: abort.signal })) {
      received += response.changes.length;
      if (received >= publications) break;
    }
  } finally {
    abort.abort();
  }
  const after = await serverStats(server.url);
  return (after.bytesSent.PullPublications ?? 0) - (before.bytesSent.PullPublications ?? 0);
}

async function getBytes(server: DevServer, call: () => Promise<unknown>, method = "GetPublication"): Promise<number> {
  const before = await serverStats(server.url);
  await call();
  const after = await serverStats(server.url);
  return (after.bytesSent[method] ?? 0) - (before.bytesSent[method] ?? 0);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureConnectBytes(process.argv.includes("--smoke") ? 100 : 500);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
