import { describe, expect, it } from "vitest";
import { cardNoteShown } from "./card-note.js";

describe("a card's own freshness note", () => {
  it("is left to the screen when it would repeat it", () => {
    expect(cardNoteShown("live", "live")).toBe(false);
    expect(cardNoteShown("retrying", "offline")).toBe(false);
    expect(cardNoteShown("connecting", "offline")).toBe(false);
    expect(cardNoteShown("connecting", "connecting")).toBe(false);
    expect(cardNoteShown("polling", "polling")).toBe(false);
  });

  it("is shown where the card differs from the rest of the screen", () => {
    expect(cardNoteShown("retrying", "reconnecting")).toBe(true);
    expect(cardNoteShown("connecting", "live")).toBe(true);
    expect(cardNoteShown("needs-auth", "needs-auth")).toBe(true);
    expect(cardNoteShown("removed", "live")).toBe(true);
    expect(cardNoteShown("closed", "offline")).toBe(true);
  });

  it("says nothing about its connection while the screen is settling (too early to tell it from the server's)", () => {
    expect(cardNoteShown("retrying", "live", true)).toBe(false);
    expect(cardNoteShown("connecting", "live", true)).toBe(false);
    expect(cardNoteShown("retrying", "reconnecting", false)).toBe(true);
    // Notes that are not about the connection stay.
    expect(cardNoteShown("needs-auth", "live", true)).toBe(true);
    expect(cardNoteShown("removed", "offline", true)).toBe(true);
  });

  it("never says live: live is what a card with no note is", () => {
    for (const screen of ["offline", "reconnecting", "needs-auth", "connecting", "polling", "live", "removed"] as const) {
      expect(cardNoteShown("live", screen)).toBe(false);
    }
  });
});
