/**
 * Times as the viewer reads them: relative ("2 minutes ago") and clock
 * ("10:42"), in the viewer's locale. Pure: `now` is always passed in, so the
 * texts are testable and every card ticks from one timer.
 */
export interface TimeFormat {
  /** "now", "12 seconds ago", "3 minutes ago", "yesterday"… */
  relative(at: number, now: number): string;
  /** "10:42" today, "3 Nov, 10:42" on another day. */
  clock(at: number, now: number): string;
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", Number.POSITIVE_INFINITY],
];

/** `locale` undefined: the viewer's own (the browser's default). */
export function createTimeFormat(locale?: string, timeZone?: string): TimeFormat {
  const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const timeOnly = new Intl.DateTimeFormat(locale, { timeStyle: "short", ...(timeZone && { timeZone }) });
  const dayAndTime = new Intl.DateTimeFormat(locale, {
    day: "numeric",
    month: "short",
    hour: "numeric",
    minute: "2-digit",
    ...(timeZone && { timeZone }),
  });
  const day = new Intl.DateTimeFormat("en-CA", { dateStyle: "short", ...(timeZone && { timeZone }) });

  return {
    relative(at, now) {
      // Under ten seconds reads as "now": a wall display should not count seconds up.
      let value = (at - now) / 1000;
      if (Math.abs(value) < 10) return relativeFormat.format(0, "second");
      for (const [unit, size] of UNITS) {
        if (Math.abs(value) < size) return relativeFormat.format(Math.trunc(value), unit);
        value /= size;
      }
      return relativeFormat.format(Math.trunc(value), "day");
    },
    clock(at, now) {
      return day.format(at) === day.format(now) ? timeOnly.format(at) : dayAndTime.format(at);
    },
  };
}
