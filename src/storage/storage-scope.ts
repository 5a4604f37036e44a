/**
 * Whose data a stored record is: the publication server, the Smart Core
 * device name on it, and an optional partition (e.g. the signed-in user).
 * Records of different scopes never see each other.
 *
 * `server` is compared as given: pass one canonical base URL per server
 * (e.g. always without a trailing slash), or the same server will have two
 * scopes. An empty `partition` is the same as no partition.
 */
export interface StorageScope {
  readonly server: string;
  readonly device: string;
  readonly partition?: string | undefined;
}

/**
 * The string a scope is stored and indexed under. A JSON array, so no choice
 * of separator characters can make two scopes collide: ("a|b", "c") and
 * ("a", "b|c") give different keys, and so do "no partition" and any partition.
 */
export function scopeKey(scope: StorageScope): string {
  const parts = [scope.server, scope.device];
  if (scope.partition) parts.push(scope.partition);
  return JSON.stringify(parts);
}
