import { describe, expect, it } from "vitest";
import { createTimeFormat } from "./time-format.js";

const AT = Date.UTC(2026, 11, 7, 8, 39, 37); // a Monday
const LATER_SAME_DAY = AT + 3 * 60 * 60 * 1000;
const NEXT_DAY = AT + 26 * 60 * 60 * 1000;

describe("one time format on a screen, in the viewer's locale", () => {
  it("writes a clock time as the locale's short time, never with seconds", () => {
    expect(createTimeFormat("en-US", "UTC").clock(AT, LATER_SAME_DAY)).toBe("8:39 AM");
    expect(createTimeFormat("en-GB", "UTC").clock(AT, LATER_SAME_DAY)).toBe("08:39");
    expect(createTimeFormat("fi-FI", "UTC").clock(AT, LATER_SAME_DAY)).toBe("8.39");
  });

  it("the same time reads the same with a day and in the header, in every locale (en-GB once wrote 08:39 and 8:39)", () => {
    for (const locale of ["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "fi-FI", "da-DK", "en-IN", "ar-EG"]) {
      const time = createTimeFormat(locale, "UTC");
      const today = time.clock(AT, LATER_SAME_DAY);
      expect(time.clock(AT, NEXT_DAY), locale).toContain(today);
      expect(time.weekdayClock(AT), locale).toContain(today);
      expect(today, locale).not.toMatch(/37/);
    }
  });

  it("adds the day when it is not today, the weekday in the header", () => {
    expect(createTimeFormat("en-GB", "UTC").clock(AT, NEXT_DAY)).toBe("7 Dec, 08:39");
    expect(createTimeFormat("en-US", "UTC").clock(AT, NEXT_DAY)).toBe("Dec 7, 8:39 AM");
    expect(createTimeFormat("en-GB", "UTC").weekdayClock(AT)).toBe("Mon 08:39");
    expect(createTimeFormat("en-US", "UTC").weekdayClock(AT)).toBe("Mon 8:39 AM");
  });

  it("relative times count from ten seconds", () => {
    const time = createTimeFormat("en-GB", "UTC");
    expect(time.relative(AT - 5_000, AT)).toBe("now");
    expect(time.relative(AT - 12_000, AT)).toBe("12 seconds ago");
    expect(time.relative(AT - 3 * 60_000, AT)).toBe("3 minutes ago");
  });
});
