import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { CachedValue } from "../core/cache-types.js";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import type { PublicationUpdate } from "./publication-update.js";
import { SubscriptionViews } from "./subscription-views.js";

const value = (version: string, lastConfirmedAt?: number): CachedValue => ({
  publication: create(PublicationSchema, { id: "x", version }),
  source: "stream",
  receivedAt: 1,
  lastConfirmedAt,
});

describe("subscription views", () => {
  it("calls back only when what a viewer sees changes", () => {
    const views = new SubscriptionViews(undefined);
    const seen: PublicationUpdate[] = [];
    views.open("x").view.callbacks.add((u) => seen.push(u));
    views.deliver({ id: "x", value: value("v1", 10), state: { kind: "live" } });
    views.deliver({ id: "x", value: value("v1", 10), state: { kind: "live" } }); // a repeated snapshot
    views.deliver({ id: "x", value: value("v1", 20), state: { kind: "live" } }); // confirmed again: fresher
    views.deliver({ id: "x", value: value("v1", 20), state: { kind: "polling" } });
    views.deliver({ id: "x", value: value("v2", 30), state: { kind: "polling" } });
    expect(seen.map((u) => [u.value?.publication.version, u.value?.lastConfirmedAt, u.state.kind])).toEqual([
      ["v1", 10, "live"],
      ["v1", 20, "live"],
      ["v1", 20, "polling"],
      ["v2", 30, "polling"],
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
    views.deliver({ id: "unknown", value: undefined, state: { kind: "live" } });
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
    views.deliver({ id: "x", value: undefined, state: { kind: "retrying", nextAttemptAt: 5, lastError: { code: "unknown", message: "", at: 1 } } });
    expect(reached).toBe(true);
  });
});
