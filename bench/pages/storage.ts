/**
 * Storage benchmark, run in Chromium by bench/browser/storage.ts: our
 * IndexedDB storage (openPubCacheDatabase + createIdbStorage) against raw
 * `idb` put/get of the same publications, in the same page. Operations are
 * sequential (each awaited, as a cache writes one value at a time) and
 * interleaved — ours, then raw, then the other order for the next item — so
 * both see the same background noise. Each variant has its own fresh database.
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { openDB, type IDBPDatabase } from "idb";
import { PublicationSchema, type Publication } from "../../src/gen/smartcore/traits/publication_pb.js";
import { openPubCacheDatabase } from "../../src/storage/idb/database.js";
import { createIdbStorage } from "../../src/storage/idb/idb-storage.js";

export interface StorageRun {
  /** Per-operation milliseconds, index i = publication i. */
  readonly oursWrite: number[];
  readonly rawWrite: number[];
  /** Raw `idb` with `durability: "strict"`, the durability our storage asks for on writes. */
  readonly rawStrictWrite: number[];
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
    benchStorage: { run(count: number, bodyBytes: number): Promise<StorageRun> };
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

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function run(count: number, bodyBytes: number): Promise<StorageRun> {
  await deleteDatabase("bench-pubcache");
  const db = openPubCacheDatabase({ name: "bench-pubcache" });
  const ours = createIdbStorage(db, { server: "http://bench.invalid", device: "", partition: "" });
  const raw = await openRaw("bench-raw");
  const rawStrict = await openRaw("bench-raw-strict");
  const publications = Array.from({ length: count }, (_, i) => publicationFor(`pub-${i}`, bodyBytes));
  const rawRecord = (p: Publication): RawRecord => ({
    id: p.id,
    version: p.version,
    mediaType: p.mediaType,
    body: p.body,
    publishTimeMs: Date.now(),
  });
  const result: StorageRun = { oursWrite: [], rawWrite: [], rawStrictWrite: [], oursRead: [], rawRead: [], rawReadTxDone: [] };

  // Warm-up: open every database and let the engine settle (not measured).
  const warm = publicationFor("warm-up", bodyBytes);
  for (let i = 0; i < 5; i++) {
    await ours.store(warm);
    await raw.put("publications", rawRecord(warm));
    await ours.load("warm-up");
    await raw.get("publications", "warm-up");
  }

  for (const [i, publication] of publications.entries()) {
    const writes: Array<() => Promise<void>> = [
      async () => void result.oursWrite.push(await timed(() => ours.store(publication))),
      async () => void result.rawWrite.push(await timed(() => raw.put("publications", rawRecord(publication)))),
      async () =>
        void result.rawStrictWrite.push(
          await timed(async () => {
            const tx = rawStrict.transaction("publications", "readwrite", { durability: "strict" });
            await tx.store.put(rawRecord(publication));
            await tx.done;
          }),
        ),
    ];
    for (let k = 0; k < writes.length; k++) await (writes[(i + k) % writes.length] as () => Promise<void>)();
  }
  for (const [i, publication] of publications.entries()) {
    const reads: Array<() => Promise<void>> = [
      async () => void result.oursRead.push(await timed(() => ours.load(publication.id))),
      async () => void result.rawRead.push(await timed(() => raw.get("publications", publication.id))),
      async () =>
        void result.rawReadTxDone.push(
          await timed(async () => {
            const tx = raw.transaction("publications", "readonly");
            await tx.store.get(publication.id);
            await tx.done;
          }),
        ),
    ];
    for (let k = 0; k < reads.length; k++) await (reads[(i + k) % reads.length] as () => Promise<void>)();
  }

  db.close();
  raw.close();
  rawStrict.close();
  for (const name of ["bench-pubcache", "bench-raw", "bench-raw-strict"]) await deleteDatabase(name);
  return result;
}

window.benchStorage = { run };
