import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { CachedValue } from "../core/cache-types.js";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import type { PublicationUpdate } from "./publication-update.js";
import { SubscriptionViews } from "./subscription-views.js";

const publicationOf = (version: string, receipt = 0) =>
  create(PublicationSchema, { id: "x", version, audience: receipt ? { name: "screen", receipt } : undefined });
const value = (version: string, lastConfirmedAt?: number, receipt = 0): CachedValue => ({
  publication: publicationOf(version, receipt),
  source: "stream",
  receivedAt: 1,
  lastConfirmedAt,
});
/** An update and the bytes it decodes from, as the page gets them from the host or storage. */
const at = (version: string, lastConfirmedAt: number, kind: "live" | "polling", receipt = 0): [PublicationUpdate, Uint8Array] => [
  { id: "x", value: value(version, lastConfirmedAt, receipt), state: { kind } },
  toBinary(PublicationSchema, publicationOf(version, receipt)),
];

describe("subscription views", () => {
  it("calls back only when what a viewer sees changes", () => {
    const views = new SubscriptionViews(undefined);
    const seen: PublicationUpdate[] = [];
    views.open("x").view.callbacks.add((u) => seen.push(u));
    views.deliver(...at("v1", 10, "live"));
    views.deliver(...at("v1", 10, "live")); // a repeated snapshot
    views.deliver(...at("v1", 20, "live")); // confirmed again: fresher
    views.deliver(...at("v1", 20, "polling"));
    views.deliver(...at("v1", 20, "polling", 2)); // acknowledged: same version, new receipt
    views.deliver(...at("v2", 30, "polling"));
    expect(seen.map((u) => [u.value?.publication.version, u.value?.lastConfirmedAt, u.state.kind, u.value?.publication.audience?.receipt])).toEqual([
      ["v1", 10, "live", undefined],
      ["v1", 20, "live", undefined],
      ["v1", 20, "polling", undefined],
      ["v1", 20, "polling", 2],
      ["v2", 30, "polling", undefined],
    ]);
  });

  it("keeps a view while it has callbacks and ignores updates for ids nobody opened", () => {
    const views = new SubscriptionViews(undefined);
    const { view } = views.open("x");
    const callback = () => {};
    view.callbacks.add(callback);
    expect(views.closeIfUnused(view)).toBe(false);
    view.callbacks.delete(callback);
    expect(views.closeIfUnused(view)).toBe(true);
    expect(views.open("x").created).toBe(true);
    views.deliver({ id: "unknown", value: undefined, state: { kind: "live" } }, undefined);
    expect(views.ids()).toEqual(["x"]);
  });

  it("a throwing callback does not stop the others", () => {
    const views = new SubscriptionViews(undefined);
    const { view } = views.open("x");
    let reached = false;
    view.callbacks.add(() => {
      throw new Error("boom");
    });
    view.callbacks.add(() => void (reached = true));
    views.deliver({ id: "x", value: undefined, state: { kind: "retrying", nextAttemptAt: 5, lastError: { code: "unknown", message: "", at: 1 } } }, undefined);
    expect(reached).toBe(true);
  });
});
