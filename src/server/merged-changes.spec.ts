import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { ChangeType } from "../gen/smartcore/types/change_pb.js";
import { Mailbox } from "./mailbox.js";
import { MergedChanges, mergeChanges, type CollectionChange } from "./merged-changes.js";

const value = (id: string, version: string) => create(PublicationSchema, { id, version });
let time = 0;
const add = (id: string, v: string): CollectionChange => ({ id, type: ChangeType.ADD, oldValue: undefined, newValue: value(id, v), changeTime: ++time });
const update = (id: string, from: string, to: string): CollectionChange => ({
  id,
  type: ChangeType.UPDATE,
  oldValue: value(id, from),
  newValue: value(id, to),
  changeTime: ++time,
});
const remove = (id: string, v: string): CollectionChange => ({ id, type: ChangeType.REMOVE, oldValue: value(id, v), newValue: undefined, changeTime: ++time });

/** [type, id, old version, new version]: what a receiver can tell apart. */
const seen = (c: CollectionChange | undefined) => c && [ChangeType[c.type], c.id, c.oldValue?.version, c.newValue?.version];

describe("mergeChanges (two pending changes of one id)", () => {
  it("REMOVE then ADD is one REPLACE with the removed value as old and the added one as new", () => {
    expect(seen(mergeChanges(remove("a", "1"), add("a", "2")))).toEqual(["REPLACE", "a", "1", "2"]);
  });

  it("ADD then REMOVE is nothing at all", () => {
    expect(mergeChanges(add("a", "1"), remove("a", "1"))).toBeUndefined();
  });

  it("ADD then UPDATE is an ADD of the newest value", () => {
    expect(seen(mergeChanges(add("a", "1"), update("a", "1", "2")))).toEqual(["ADD", "a", undefined, "2"]);
  });

  it("UPDATE then UPDATE is one UPDATE from the first old value to the last new one", () => {
    expect(seen(mergeChanges(update("a", "1", "2"), update("a", "2", "3")))).toEqual(["UPDATE", "a", "1", "3"]);
  });

  it("UPDATE then REMOVE is a REMOVE of the value the receiver last saw", () => {
    expect(seen(mergeChanges(update("a", "1", "2"), remove("a", "2")))).toEqual(["REMOVE", "a", "1", undefined]);
  });

  it("a REPLACE stays a REPLACE until a REMOVE, keeping its old value; the latest change time wins", () => {
    const replace = mergeChanges(remove("a", "1"), add("a", "2"))!;
    const later = update("a", "2", "3");
    const merged = mergeChanges(replace, later)!;
    expect(seen(merged)).toEqual(["REPLACE", "a", "1", "3"]);
    expect(merged.changeTime).toBe(later.changeTime);
    expect(seen(mergeChanges(merged, remove("a", "3")))).toEqual(["REMOVE", "a", "1", undefined]);
  });
});

describe("MergedChanges in a mailbox", () => {
  const never = new AbortController().signal;
  const drain = async (box: Mailbox<CollectionChange>) => {
    box.close();
    const out: unknown[] = [];
    for (let c = await box.take(never); c !== undefined; c = await box.take(never)) out.push(seen(c));
    return out;
  };

  it("merges per id while the receiver is behind, keeping each id at its first pending position", async () => {
    const box = new Mailbox(new MergedChanges());
    box.push(remove("x", "x1"));
    box.push(update("w", "w1", "w2"));
    box.push(add("z", "z1"));
    box.push(add("x", "x2"));
    box.push(update("w", "w2", "w3"));
    box.push(update("z", "z1", "z2"));
    box.push(add("y", "y1"));
    box.push(update("v", "v1", "v2"));
    box.push(remove("y", "y1"));
    box.push(remove("v", "v2"));
    expect(await drain(box)).toEqual([
      ["REPLACE", "x", "x1", "x2"],
      ["UPDATE", "w", "w1", "w3"],
      ["ADD", "z", undefined, "z2"],
      ["REMOVE", "v", "v1", undefined],
    ]);
  });

  it("hands a receiver that keeps up every change unmerged", async () => {
    const box = new Mailbox(new MergedChanges());
    const received: unknown[] = [];
    for (const change of [add("a", "1"), remove("a", "1"), add("a", "2"), update("a", "2", "3"), update("a", "3", "4")]) {
      box.push(change);
      received.push(seen(await box.take(never)));
    }
    expect(received).toEqual([
      ["ADD", "a", undefined, "1"],
      ["REMOVE", "a", "1", undefined],
      ["ADD", "a", undefined, "2"],
      ["UPDATE", "a", "2", "3"],
      ["UPDATE", "a", "3", "4"],
    ]);
  });

  it("lets an id whose changes cancelled out come back later, at the end", async () => {
    const box = new Mailbox(new MergedChanges());
    box.push(add("a", "1"));
    box.push(add("b", "1"));
    box.push(remove("a", "1"));
    box.push(add("a", "2"));
    expect(await drain(box)).toEqual([
      ["ADD", "b", undefined, "1"],
      ["ADD", "a", undefined, "2"],
    ]);
  });
});
