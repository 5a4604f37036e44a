import { asString, nonEmptyStringOf, recordOf, stringOf, type Reader, type Untrusted } from "./validate.js";

/**
 * Names one cached publication: which server, which Smart Core device on it,
 * which publication id, and which partition of the local cache (e.g. one per
 * signed-in user). The host runs exactly one engine per distinct ref.
 */
export interface PublicationRef {
  /** Base URL of the publication server, e.g. `https://bms.example/`. */
  readonly server: string;
  /** Smart Core device name sent as `name` in every request; may be empty. */
  readonly device: string;
  readonly id: string;
  /** Cache partition; empty string for the default partition. */
  readonly partition: string;
}

/** The storage scope a ref belongs to: everything but the id. */
export interface RefScope {
  readonly server: string;
  readonly device: string;
  readonly partition: string;
}

const MAX_URL = 2048;
const MAX_NAME = 1024;

/**
 * An http(s) base URL. Anything else (javascript:, data:, relative paths) is
 * refused: the host would otherwise open connections wherever a message says.
 */
export function asServerUrl(value: Untrusted): string | undefined {
  const text = asString(value, MAX_URL);
  if (text === undefined) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? text : undefined;
  } catch {
    return undefined;
  }
}

const SCOPE = { server: asServerUrl, device: stringOf(MAX_NAME), partition: stringOf(MAX_NAME) };

/** Validates a scope from untrusted data. */
export const parseScope: Reader<RefScope> = recordOf(SCOPE);

/** Validates a ref from untrusted data; the id must be non-empty. */
export const parsePublicationRef: Reader<PublicationRef> = recordOf({ ...SCOPE, id: nonEmptyStringOf(MAX_NAME) });
