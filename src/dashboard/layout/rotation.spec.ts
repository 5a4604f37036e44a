import { describe, expect, it } from "vitest";
import { advance, cycleTicks, partAt, START } from "./rotation.js";

describe("the calm timer", () => {
  it("moves to the next page each tick when no card has parts, and wraps", () => {
    let state = START;
    const seen = [state.page];
    for (let i = 0; i < 4; i++) seen.push((state = advance(state, 3, 1)).page);
    expect(seen).toEqual([0, 1, 2, 0, 1]);
  });

  it("stays on a page until its card with the most parts has shown them all", () => {
    let state = START;
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      seen.push(`${state.page}:${state.tick}`);
      state = advance(state, 2, state.page === 0 ? 3 : 1);
    }
    expect(seen).toEqual(["0:0", "0:1", "0:2", "1:0", "0:0"]);
  });

  it("shows every part of a card with fewer parts than the page's most, going round again", () => {
    expect([0, 1, 2, 3].map((tick) => partAt(tick, 2))).toEqual([0, 1, 0, 1]);
    expect(partAt(5, 1)).toBe(0);
  });

  it("stays on the only page, and keeps to a page that still exists after the plan shrank", () => {
    expect(advance(START, 1, 1)).toEqual(START);
    expect(advance({ page: 4, tick: 0 }, 2, 1)).toEqual({ page: 0, tick: 0 });
    expect(advance(START, 0, 1)).toEqual(START);
  });

  it("bounds a full cycle by the sum of each page's most parts", () => {
    expect(cycleTicks([1, 3, 2])).toBe(6);
    expect(cycleTicks([0])).toBe(1);
  });
});
