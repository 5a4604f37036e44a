/**
 * When a new build of the dashboard may replace the running one. A wall
 * display must not blink in the middle of someone reading it, and must
 * never reload in a loop:
 * - nothing to do until a newer worker has taken control (`ready`);
 * - only a prompt while someone is using the screen (input within `idleMs`)
 *   or the diagnostics panel is open (`busy`);
 * - only a prompt when this tab already reloaded itself for an update within
 *   `minGapMs` (the guard against loops: a build that keeps "updating" is
 *   left to a person);
 * - otherwise reload now.
 */
export type UpdateDecision = "none" | "prompt" | "reload";

export interface UpdateSituation {
  readonly ready: boolean;
  readonly now: number;
  readonly lastInputAt: number;
  readonly busy: boolean;
  /** When this tab last reloaded by itself for an update (kept in sessionStorage). */
  readonly lastAutoReloadAt: number | undefined;
}

export const UPDATE_IDLE_MS = 60_000;
export const UPDATE_MIN_GAP_MS = 10 * 60_000;

export function decideUpdate(s: UpdateSituation, idleMs = UPDATE_IDLE_MS, minGapMs = UPDATE_MIN_GAP_MS): UpdateDecision {
  if (!s.ready) return "none";
  if (s.busy) return "prompt";
  if (s.lastAutoReloadAt !== undefined && s.now - s.lastAutoReloadAt < minGapMs) return "prompt";
  return s.now - s.lastInputAt >= idleMs ? "reload" : "prompt";
}
