import { clone } from "@bufbuild/protobuf";
import { PublicationSchema, type Publication } from "../gen/smartcore/traits/publication_pb.js";
import type { Clock } from "../core/clock.js";

/** What the next PullPublication response carries instead of the real publication id. */
export type InvalidPullKind = "empty-id" | "other-id";

export const INVALID_PULL_KINDS: readonly InvalidPullKind[] = ["empty-id", "other-id"];

/**
 * Test-only misbehaviour the server can be asked for (see README: /faults).
 * Holds state only; the HTTP endpoints arm it and the server consults it.
 */
export class FaultState {
  readonly #clock: Clock;
  #holdUntil = 0;
  #refuseUntil = 0;
  #invalidPull: InvalidPullKind | undefined;
  #invalidGet: InvalidPullKind | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** New calls arriving in the next `ms` are held until that window ends. */
  holdCalls(ms: number): void {
    this.#holdUntil = this.#clock.now() + ms;
  }

  /** How long a call arriving now must wait (0 when not held). */
  holdRemaining(): number {
    return Math.max(0, this.#holdUntil - this.#clock.now());
  }

  /** For the next `ms`, connections are closed as soon as they arrive. */
  refuseConnections(ms: number): void {
    this.#refuseUntil = this.#clock.now() + ms;
  }

  refusing(): boolean {
    return this.#clock.now() < this.#refuseUntil;
  }

  /**
   * The next publication a stream sends, by any stream, is invalid: a
   * PullPublication response, or the new value of a PullPublications change
   * (its old value keeps the real id, so the change says "this publication
   * is now another one").
   */
  armInvalidPull(kind: InvalidPullKind): void {
    this.#invalidPull = kind;
  }

  /**
   * The publication a PullPublication stream should send: `publication`
   * itself, or (once, when armed) a copy with an empty or a different id.
   */
  nextPullPublication(publication: Publication): Publication {
    const kind = this.#invalidPull;
    if (kind === undefined) return publication;
    this.#invalidPull = undefined;
    return tamper(publication, kind);
  }

  /** The next GetPublication of a whole value (no read mask: a body download) answers an invalid publication. */
  armInvalidGet(kind: InvalidPullKind): void {
    this.#invalidGet = kind;
  }

  /** What a GetPublication answers: `publication`, or (once, when armed, for a whole value) a tampered copy. */
  nextGetPublication(publication: Publication, masked: boolean): Publication {
    const kind = this.#invalidGet;
    if (kind === undefined || masked) return publication;
    this.#invalidGet = undefined;
    return tamper(publication, kind);
  }

  /** Back to normal behaviour. */
  reset(): void {
    this.#holdUntil = 0;
    this.#refuseUntil = 0;
    this.#invalidPull = undefined;
    this.#invalidGet = undefined;
  }
}

function tamper(publication: Publication, kind: InvalidPullKind): Publication {
  const tampered = clone(PublicationSchema, publication);
  tampered.id = kind === "empty-id" ? "" : `${publication.id}-other`;
  return tampered;
}
