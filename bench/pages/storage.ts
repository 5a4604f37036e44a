/**
 * Storage benchmark, run in Chromium by bench/browser/storage.ts: our
 * IndexedDB storage (openPubCacheDatabase + createIdbStorage) against raw
 * `idb` put/get of the same publications, in the same page. Operations are
 * sequential (each awaited, as a cache writes one value at a time), timed
 * per batch, and the variants take turns batch by batch (rotating who goes
 * first) so all see the same background noise. Each variant has its own fresh database.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { openDB, type IDBPDatabase } from "idb";
import { PublicationSchema, type Publication } from "../../src/gen/smartcore/traits/publication_pb.js";
import { openPubCacheDatabase } from "../../src/storage/idb/database.js";
import { createIdbStorage } from "../../src/storage/idb/idb-storage.js";

export interface StorageRun {
  /** Milliseconds per operation, one figure per batch. */
  readonly oursWrite: number[];
  readonly rawWrite: number[];
  /** Raw `idb` with `durability: "strict"`, the durability our storage asks for on writes. */
  readonly rawStrictWrite: number[];
  /** Raw `idb`, strict durability, storing the protobuf encoding as our storage does (isolates our wrapper's cost). */
  readonly rawEncodedWrite: number[];
  readonly oursRead: number[];
  readonly rawRead: number[];
  /** Raw `idb` get that also waits for the transaction's `complete` event, as our storage does. */
  readonly rawReadTxDone: number[];
}

interface RawRecord {
  id: string;
  version: string;
  mediaType: string;
  body: Uint8Array;
  publishTimeMs: number;
}

declare global {
  interface Window {
    benchStorage: { run(count: number, bodyBytes: number, batchSize: number): Promise<StorageRun> };
  }
}

async function deleteDatabase(name: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

async function openRaw(name: string): Promise<IDBPDatabase> {
  await deleteDatabase(name);
  return openDB(name, 1, { upgrade: (db) => void db.createObjectStore("publications", { keyPath: "id" }) });
}

function publicationFor(id: string, bodyBytes: number): Publication {
  const body = new Uint8Array(bodyBytes);
  crypto.getRandomValues(body.subarray(0, Math.min(bodyBytes, 65_536)));
  return create(PublicationSchema, {
    id,
    version: `v-${id}`,
    mediaType: "application/octet-stream",
    body,
    publishTime: timestampFromMs(Date.now()),
  });
}

async function run(count: number, bodyBytes: number, batchSize: number): Promise<StorageRun> {
  await deleteDatabase("bench-pubcache");
  const db = openPubCacheDatabase({ name: "bench-pubcache" });
  const ours = createIdbStorage(db, { server: "http://bench.invalid", device: "", partition: "" });
  const raw = await openRaw("bench-raw");
  const rawStrict = await openRaw("bench-raw-strict");
  const rawEncoded = await openRaw("bench-raw-encoded");
  const publications = Array.from({ length: count }, (_, i) => publicationFor(`pub-${i}`, bodyBytes));
  const rawRecord = (p: Publication): RawRecord => ({
    id: p.id,
    version: p.version,
    mediaType: p.mediaType,
    body: p.body,
    publishTimeMs: Date.now(),
  });
  const result: StorageRun = { oursWrite: [], rawWrite: [], rawStrictWrite: [], rawEncodedWrite: [], oursRead: [], rawRead: [], rawReadTxDone: [] };

  // Warm-up: open every database and let the engine settle (not measured).
  const warm = publicationFor("warm-up", bodyBytes);
  for (let i = 0; i < 5; i++) {
    await ours.store(warm);
    await raw.put("publications", rawRecord(warm));
    await ours.load("warm-up");
    await raw.get("publications", "warm-up");
  }

  // Timed in batches (one variant writes or reads a whole batch, one item at
  // a time), because performance.now() is coarsened to 0.1 ms here and one
  // operation takes a few tenths of that. Variants take turns per batch.
  const batches: Publication[][] = [];
  for (let i = 0; i < publications.length; i += batchSize) batches.push(publications.slice(i, i + batchSize));
  const perOp = async (batch: Publication[], one: (p: Publication) => Promise<unknown>) => {
    const start = performance.now();
    for (const publication of batch) await one(publication);
    return (performance.now() - start) / batch.length;
  };
  for (const [b, batch] of batches.entries()) {
    const writes: Array<() => Promise<void>> = [
      async () => void result.oursWrite.push(await perOp(batch, (p) => ours.store(p))),
      async () => void result.rawWrite.push(await perOp(batch, (p) => raw.put("publications", rawRecord(p)))),
      async () =>
        void result.rawStrictWrite.push(
          await perOp(batch, async (p) => {
            const tx = rawStrict.transaction("publications", "readwrite", { durability: "strict" });
            await tx.store.put(rawRecord(p));
            await tx.done;
          }),
        ),
      async () =>
        void result.rawEncodedWrite.push(
          await perOp(batch, async (p) => {
            const tx = rawEncoded.transaction("publications", "readwrite", { durability: "strict" });
            await tx.store.put({ id: p.id, version: p.version, bytes: toBinary(PublicationSchema, p), publishTimeMs: Date.now() });
            await tx.done;
          }),
        ),
    ];
    for (let k = 0; k < writes.length; k++) await (writes[(b + k) % writes.length] as () => Promise<void>)();
  }
  for (const [b, batch] of batches.entries()) {
    const reads: Array<() => Promise<void>> = [
      async () => void result.oursRead.push(await perOp(batch, (p) => ours.load(p.id))),
      async () => void result.rawRead.push(await perOp(batch, (p) => raw.get("publications", p.id))),
      async () =>
        void result.rawReadTxDone.push(
          await perOp(batch, async (p) => {
            const tx = raw.transaction("publications", "readonly");
            await tx.store.get(p.id);
            await tx.done;
          }),
        ),
    ];
    for (let k = 0; k < reads.length; k++) await (reads[(b + k) % reads.length] as () => Promise<void>)();
  }

  db.close();
  raw.close();
  rawStrict.close();
  rawEncoded.close();
  for (const name of ["bench-pubcache", "bench-raw", "bench-raw-strict", "bench-raw-encoded"]) await deleteDatabase(name);
  return result;
}

window.benchStorage = { run };
