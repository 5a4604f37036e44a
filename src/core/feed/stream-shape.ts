/**
 * Whether the device stream carries bodies. Metadata only bounds a
 * reconnect to a device with hundreds of publications to one small record
 * each (plus the bodies of what changed) — but then every update of a
 * wanted publication costs each screen a GetPublication round trip, which
 * for a small device is slower (latency) and dearer for the server (one
 * request per screen per update) than the body in the stream. So a feed
 * streams bodies once it has seen the device is small, and goes back to
 * metadata only when it grows; the gap between the two limits keeps a
 * device near the edge from switching back and forth.
 *
 * Measured (bench, README "Performance"): server CPU for 200 screens × 10
 * publications, and the latency row, with bodies against without.
 */
export interface StreamShape {
  /** The next stream asks for full values (no read mask). Starts `false` under `auto`: the device's size is unknown. */
  fullValues: boolean;
  /** Under `auto`: the device's size has been seen (by the probe before the first stream, or a settled snapshot). */
  decided: boolean;
  /** `auto` decides from the device's size; `always` and `never` fix it (see `DeviceFeedSettings.bodiesInStream`). */
  readonly policy: BodiesInStream;
}

/** Whether a device feed's stream carries bodies: `auto` streams them for a device of at most 32 publications (metadata only and GetPublication beyond 48); `always` and `never` fix it. */
export type BodiesInStream = "auto" | "always" | "never";

/** Devices up to this many publications get bodies in the stream: a reconnect costs at most this many bodies. */
export const FULL_VALUES_UP_TO = 32;
/** A device streamed with bodies goes back to metadata only beyond this many. */
export const METADATA_ONLY_ABOVE = 48;

/** What the stream should carry for a device of `publications`, given what it carries now. */
export function preferFullValues(publications: number, fullValuesNow: boolean): boolean {
  return fullValuesNow ? publications <= METADATA_ONLY_ABOVE : publications <= FULL_VALUES_UP_TO;
}

/** The shape of a new feed's first stream: `always` and `never` are decided; `auto` is not yet. */
export function newStreamShape(policy: BodiesInStream): StreamShape {
  return { fullValues: policy === "always", decided: policy !== "auto", policy };
}
