/**
 * The test page's address (query options read by src/app/app-params.ts).
 * Free of any test runner, so the Playwright suite and the cross-browser
 * suite (e2e/cross-browser/) open the same page the same way.
 */
export interface AppQuery {
  readonly server: string;
  readonly ids: readonly string[];
  readonly device?: string;
  readonly partition?: string;
  readonly backoffMs?: number;
  readonly pollMs?: number;
  readonly heartbeatMs?: number;
  readonly token?: string;
  readonly sw?: boolean;
  /** This screen's Smart Core name: it acknowledges what is addressed to it. */
  readonly screen?: string;
}

/** The path and query of the test page (relative to the app's origin). */
export function appUrl(query: AppQuery): string {
  const params = new URLSearchParams({ server: query.server, device: query.device ?? "", ids: query.ids.join(",") });
  if (query.partition) params.set("partition", query.partition);
  if (query.backoffMs) params.set("backoffMs", String(query.backoffMs));
  if (query.pollMs) params.set("pollMs", String(query.pollMs));
  if (query.heartbeatMs) params.set("heartbeatMs", String(query.heartbeatMs));
  if (query.token) params.set("token", query.token);
  if (query.sw === false) params.set("sw", "0");
  if (query.screen) params.set("screen", query.screen);
  return `/?${params}`;
}
