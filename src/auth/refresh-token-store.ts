/** The stored refresh token of a sign-in and how many times it was replaced. */
export interface StoredSignIn {
  readonly refreshToken: string;
  /**
   * Grows by one with every save. A tab whose access token came with an
   * older generation knows another tab renewed since (and asks it for the
   * new access token instead of renewing again).
   */
  readonly generation: number;
}

/**
 * Where one sign-in's refresh token survives a restart. The browser's
 * (`web/idb-refresh-token-store.ts`) keeps it encrypted with a
 * non-extractable key; the token never sits anywhere in plain text.
 */
export interface RefreshTokenStore {
  /** The stored sign-in, or `undefined` when there is none (or it cannot be read: it is then forgotten). */
  load(): Promise<StoredSignIn | undefined>;
  /** Replaces the stored refresh token in one step (the old one is gone once this resolves). Resolves to the new generation. */
  save(refreshToken: string): Promise<number>;
  /** Forgets the stored sign-in. */
  clear(): Promise<void>;
}
