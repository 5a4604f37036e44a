/**
 * Sizes as people read them, one rule everywhere the dashboard shows one:
 * decimal units from kB up (1 kB = 1,000 bytes, as storage and network tools
 * count), never bytes; one decimal below 10 and whole numbers from 10
 * ("0.5 kB", "3.2 MB", "543 kB"); a size that is not zero never reads as
 * zero ("0.1 kB" for a 12-byte body). Numbers and unit names follow the
 * viewer's locale ("3,2 MB" in de-DE).
 */
const UNITS = ["kilobyte", "megabyte", "gigabyte", "terabyte", "petabyte"] as const;

/** "3.2 MB"; "unknown" for `undefined` (a browser that does not say). */
export function formatBytes(bytes: number | undefined, locale?: string): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return "unknown";
  let unit = 0;
  let value = bytes / 1000;
  while (unit < UNITS.length - 1 && roundedAsShown(value) >= 1000) {
    value /= 1000;
    unit++;
  }
  const shown = bytes > 0 ? Math.max(roundedAsShown(value), 0.1) : 0;
  return new Intl.NumberFormat(locale, {
    style: "unit",
    unit: UNITS[unit],
    unitDisplay: "short",
    maximumFractionDigits: shown < 10 ? 1 : 0,
  }).format(shown);
}

/** `value` rounded as it will be written: one decimal below 10, whole numbers from 10. */
function roundedAsShown(value: number): number {
  return value < 9.95 ? Math.round(value * 10) / 10 : Math.round(value);
}
