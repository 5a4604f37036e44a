import { describe, expect, it } from "vitest";
import { decideUpdate, type UpdateSituation } from "./update-policy.js";

const base: UpdateSituation = { ready: true, now: 1_000_000, lastInputAt: 0, busy: false, lastAutoReloadAt: undefined };

describe("app update policy", () => {
  it("does nothing until a new build has taken over", () => {
    expect(decideUpdate({ ...base, ready: false })).toBe("none");
  });

  it("reloads a screen nobody has touched for the idle time", () => {
    expect(decideUpdate({ ...base, lastInputAt: base.now - 60_000 }, 60_000)).toBe("reload");
  });

  it("only prompts while someone is using the screen or the diagnostics are open", () => {
    expect(decideUpdate({ ...base, lastInputAt: base.now - 59_999 }, 60_000)).toBe("prompt");
    expect(decideUpdate({ ...base, busy: true }, 60_000)).toBe("prompt");
  });

  it("never reloads by itself twice in a row within the gap: no reload loop", () => {
    expect(decideUpdate({ ...base, lastAutoReloadAt: base.now - 1_000 }, 60_000, 600_000)).toBe("prompt");
    expect(decideUpdate({ ...base, lastAutoReloadAt: base.now - 600_000 }, 60_000, 600_000)).toBe("reload");
  });
});
