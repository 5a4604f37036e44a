/**
 * Times as the viewer reads them: relative ("2 minutes ago") and clock
 * ("10:42"), in the viewer's locale. Pure: `now` is always passed in, so the
 * texts are testable and every card ticks from one timer.
 *
 * Every clock time the dashboard shows comes from here, in one style: the
 * locale's own short time ("8:39 AM" in en-US, "08:39" in en-GB, "8.39" in
 * fi-FI), never seconds, with or without the day. (Intl's separate options
 * for "time" and "day and time" disagree within one locale — en-GB's
 * `timeStyle: "short"` writes "08:39" while `hour: "numeric"` writes "8:39" —
 * so all three formats share the short style's own hour digits and cycle.)
 */
export interface TimeFormat {
  /** "now", "12 seconds ago", "3 minutes ago", "yesterday"… */
  relative(at: number, now: number): string;
  /** "10:42" today, "3 Nov, 10:42" on another day. */
  clock(at: number, now: number): string;
  /** The header's clock: "Mon 10:42". */
  weekdayClock(at: number): string;
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", Number.POSITIVE_INFINITY],
];

/** `locale` undefined: the viewer's own (the browser's default); `timeZone` undefined: the device's. */
export function createTimeFormat(locale?: string, timeZone?: string): TimeFormat {
  const zone = timeZone === undefined ? {} : { timeZone };
  const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const time = shortTimeOptions(locale);
  const timeOnly = new Intl.DateTimeFormat(locale, { ...time, ...zone });
  const dayAndTime = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", ...time, ...zone });
  const weekdayAndTime = new Intl.DateTimeFormat(locale, { weekday: "short", ...time, ...zone });
  const day = new Intl.DateTimeFormat("en-CA", { dateStyle: "short", ...zone });

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
    weekdayClock: (at) => weekdayAndTime.format(at),
  };
}

/** The hour and minute options of the locale's short time style, to combine with a day (which `timeStyle` refuses). */
function shortTimeOptions(locale: string | undefined): Intl.DateTimeFormatOptions {
  const short = new Intl.DateTimeFormat(locale, { timeStyle: "short", timeZone: "UTC" });
  // 08:05 UTC: a two-digit hour part means the locale pads hours ("08:05").
  const hour = short.formatToParts(Date.UTC(2026, 0, 1, 8, 5)).find((part) => part.type === "hour")?.value ?? "";
  const { hourCycle } = short.resolvedOptions();
  return { hour: hour.length === 2 ? "2-digit" : "numeric", minute: "2-digit", ...(hourCycle !== undefined && { hourCycle }) };
}
