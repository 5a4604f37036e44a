/** A random id for hosts and tabs (crypto.randomUUID exists in secure contexts only). */
export function randomId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
