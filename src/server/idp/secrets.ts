import { createHash, randomBytes } from "node:crypto";

/** An unguessable opaque value (256 random bits, base64url): device codes and refresh tokens. */
export function newOpaqueSecret(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * What the stores key on instead of the value itself (SHA-256, hex), so a
 * memory dump or a debug print of a store holds no usable device code or
 * refresh token.
 */
export function hashSecret(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}
