import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  Publication_Audience_Receipt,
  PublicationSchema,
  type Publication,
} from "../../gen/smartcore/traits/publication_pb.js";
import type { PublicationStorage } from "../../core/publication-storage.js";
import { check, checkEqual, checkPublication, checkRejects, checkSameIds, containsBytes } from "./check.js";

/**
 * One behaviour every {@link PublicationStorage} must have. `make` returns a
 * new, empty storage; each case calls it once. Cases throw (a
 * `ContractFailure` or the storage's own error) when the behaviour is wrong.
 */
export interface StorageContractCase {
  readonly name: string;
  run(make: () => Promise<PublicationStorage>): Promise<void>;
}

/** The id the Go storage tests round-trip: every awkward character the file codec escapes. */
export const ROUND_TRIP_ID = "publicationRoundTrip!:$@.-_";

function publication(id: string, version = "v1", body = "body"): Publication {
  return create(PublicationSchema, {
    id,
    version,
    body: new TextEncoder().encode(body),
    mediaType: "text/plain",
  });
}

/** A publication with every field set, including nested and bytes edge values. */
function fullPublication(id: string): Publication {
  return create(PublicationSchema, {
    id,
    version: "2f1c9e-opaque",
    body: new Uint8Array([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff]),
    audience: {
      name: "floor-3/kiosk-1",
      receipt: Publication_Audience_Receipt.REJECTED,
      receiptRejectedReason: "schema too new",
      receiptTime: timestampFromMs(1_700_000_123_456),
    },
    publishTime: timestampFromMs(1_700_000_000_789),
    mediaType: "application/json",
  });
}

export const storageContractCases: ReadonlyArray<StorageContractCase> = [
  {
    name: "store rejects an empty id as invalid",
    async run(make) {
      const storage = await make();
      await checkRejects(storage.store(publication("")), "invalid", "store of an empty id");
      checkSameIds(await storage.list(), [], "list after the rejected store");
    },
  },
  {
    name: "load of an empty or unknown id is not-found",
    async run(make) {
      const storage = await make();
      await checkRejects(storage.load(""), "not-found", "load of an empty id from an empty storage");
      await checkRejects(storage.load("missing"), "not-found", "load of an unknown id from an empty storage");
      // Again once something is stored (a file storage's directory then exists).
      await storage.store(publication("present"));
      await checkRejects(storage.load(""), "not-found", "load of an empty id");
      await checkRejects(storage.load("missing"), "not-found", "load of an unknown id");
      await checkRejects(storage.load("presen"), "not-found", "load of a prefix of a stored id");
    },
  },
  {
    name: `round trip keeps every field (id ${ROUND_TRIP_ID})`,
    async run(make) {
      const storage = await make();
      const original = fullPublication(ROUND_TRIP_ID);
      await storage.store(original);
      const loaded = await storage.load(ROUND_TRIP_ID);
      checkPublication(loaded, fullPublication(ROUND_TRIP_ID), "loaded value");
      checkEqual(loaded.audience?.receipt, Publication_Audience_Receipt.REJECTED, "audience.receipt");
      checkEqual(loaded.publishTime?.nanos, 789_000_000, "publish_time nanos");
      checkSameIds(await storage.list(), [ROUND_TRIP_ID], "list");
    },
  },
  {
    name: "a value with no optional fields round-trips as such",
    async run(make) {
      const storage = await make();
      await storage.store(create(PublicationSchema, { id: "bare" }));
      const loaded = await storage.load("bare");
      checkPublication(loaded, create(PublicationSchema, { id: "bare" }), "loaded value");
      checkEqual(loaded.audience, undefined, "audience");
      checkEqual(loaded.publishTime, undefined, "publish_time");
      checkEqual(loaded.body.length, 0, "body length");
    },
  },
  {
    name: "store replaces the value with the same id",
    async run(make) {
      const storage = await make();
      await storage.store(fullPublication("p"));
      await storage.store(publication("p", "v2", "second"));
      checkPublication(await storage.load("p"), publication("p", "v2", "second"), "value after the second store");
      checkSameIds(await storage.list(), ["p"], "list after replacing");
    },
  },
  {
    name: "delete reports whether the value was there, twice",
    async run(make) {
      const storage = await make();
      await storage.store(publication("gone"));
      await storage.store(publication("kept"));
      checkEqual(await storage.delete("gone"), true, "first delete");
      checkEqual(await storage.delete("gone"), false, "second delete");
      await checkRejects(storage.load("gone"), "not-found", "load after delete");
      checkEqual(await storage.delete("never-stored"), false, "delete of an unknown id");
      checkEqual(await storage.delete(""), false, "delete of an empty id");
      checkPublication(await storage.load("kept"), publication("kept"), "the other value");
    },
  },
  {
    name: "list returns the ids of the stored values",
    async run(make) {
      const storage = await make();
      checkSameIds(await storage.list(), [], "list of an empty storage");
      for (const id of ["a", "b", ROUND_TRIP_ID]) await storage.store(publication(id));
      checkSameIds(await storage.list(), ["a", "b", ROUND_TRIP_ID], "list after three stores");
      await storage.delete("b");
      checkSameIds(await storage.list(), ["a", ROUND_TRIP_ID], "list after a delete");
    },
  },
  {
    name: "ids with any characters are kept apart and listed as given",
    async run(make) {
      const storage = await make();
      const ids = ["a/b", "..", ".", "a b", "A", "a", "$41", "a|b", "温度/ü", "x".repeat(80)];
      for (const id of ids) await storage.store(publication(id, "v", `body of ${id}`));
      checkSameIds(await storage.list(), ids, "list");
      for (const id of ids) checkPublication(await storage.load(id), publication(id, "v", `body of ${id}`), id);
    },
  },
  {
    name: "concurrent stores of different ids all land",
    async run(make) {
      const storage = await make();
      const ids = Array.from({ length: 12 }, (_, i) => `concurrent-${i}`);
      await Promise.all(ids.map((id) => storage.store(publication(id, id))));
      checkSameIds(await storage.list(), ids, "list");
      for (const id of ids) checkEqual((await storage.load(id)).version, id, `version of ${id}`);
    },
  },
  {
    name: "values are copied in: changing the stored object later changes nothing",
    async run(make) {
      const storage = await make();
      const value = fullPublication("copy-in");
      await storage.store(value);
      value.version = "mutated";
      value.body[0] = 42;
      value.audience!.name = "mutated";
      value.publishTime!.seconds += 1n;
      checkPublication(await storage.load("copy-in"), fullPublication("copy-in"), "stored value");
    },
  },
  {
    name: "values are copied out: changing a loaded object changes nothing",
    async run(make) {
      const storage = await make();
      await storage.store(fullPublication("copy-out"));
      const first = await storage.load("copy-out");
      first.version = "mutated";
      first.body[0] = 42;
      first.audience!.name = "mutated";
      checkPublication(await storage.load("copy-out"), fullPublication("copy-out"), "second load");
    },
  },
  {
    name: "unknown fields survive a round trip",
    async run(make) {
      const storage = await make();
      // A field a newer server might add (number 99, length-delimited).
      const extra = new BinaryWriter()
        .tag(99, WireType.LengthDelimited)
        .bytes(new TextEncoder().encode("from the future"))
        .finish();
      const known = toBinary(PublicationSchema, fullPublication("future"));
      const received = fromBinary(PublicationSchema, concat(known, extra));
      check((received.$unknown?.length ?? 0) > 0, "the decoder kept the unknown field (test set-up)");
      await storage.store(received);
      const reencoded = toBinary(PublicationSchema, await storage.load("future"));
      check(containsBytes(reencoded, extra), "the re-encoded value still holds field 99");
      checkPublication(await storage.load("future"), fullPublication("future"), "known fields");
    },
  },
];

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
