import { equals, toJsonString } from "@bufbuild/protobuf";
import { PublicationSchema, type Publication } from "../../gen/smartcore/traits/publication_pb.js";
import { StorageError, type StorageErrorCode } from "../../core/storage-error.js";

/**
 * A tiny assertion kit for the storage contract, free of any test framework
 * and of Node built-ins, so the same cases run under Vitest and bundled into
 * a page in real Chromium.
 */
export class ContractFailure extends Error {
  override readonly name = "ContractFailure";
}

export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ContractFailure(message);
}

/** Strict equality for primitives; element-wise for arrays of primitives. */
export function checkEqual<T>(actual: T, expected: T, what: string): void {
  const same =
    Array.isArray(actual) && Array.isArray(expected)
      ? actual.length === expected.length && actual.every((v, i) => Object.is(v, expected[i]))
      : Object.is(actual, expected);
  check(same, `${what}: expected ${show(expected)}, got ${show(actual)}`);
}

/** Same ids, ignoring order. */
export function checkSameIds(actual: readonly string[], expected: readonly string[], what: string): void {
  checkEqual([...actual].sort(), [...expected].sort(), what);
}

export function checkPublication(actual: Publication, expected: Publication, what: string): void {
  check(
    equals(PublicationSchema, actual, expected),
    `${what}: expected ${toJsonString(PublicationSchema, expected)}, got ${toJsonString(PublicationSchema, actual)}`,
  );
}

/** Awaits `promise` and checks that it rejects with a StorageError of `code`. */
export async function checkRejects(promise: Promise<unknown>, code: StorageErrorCode, what: string): Promise<void> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (err) {
    check(
      StorageError.is(err, code),
      `${what}: expected StorageError(${code}), got ${err instanceof Error ? `${err.name}: ${err.message}` : show(err)}`,
    );
    return;
  }
  throw new ContractFailure(`${what}: expected StorageError(${code}), but it resolved to ${show(outcome)}`);
}

/** Whether `needle` occurs as a contiguous run inside `haystack`. */
export function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
