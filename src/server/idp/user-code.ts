import { randomInt } from "node:crypto";

/**
 * RFC 8628 §6.1's suggestion: consonants only (no vowels, so no words; no
 * easily confused characters), 8 of them shown as `WDJB-MJHT`: 20^8 ≈ 2^34
 * codes, plenty for codes that live minutes and allow few guesses.
 */
const ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
const LENGTH = 8;

/** A new user code, e.g. `WDJB-MJHT`. */
export function newUserCode(pick: (max: number) => number = randomInt): string {
  let code = "";
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[pick(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What a person typed, as stored: upper case, without dashes or spaces
 * (RFC 8628 §6.1: compare case-insensitively, ignore punctuation), so
 * `wdjb mjht` finds `WDJB-MJHT`.
 */
export function normalizeUserCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, "");
}
