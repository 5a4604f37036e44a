import type { CacheSnapshot } from "../core/cache-types.js";
import type { EngineTuning } from "../protocol/engine-tuning.js";
import { refKey, type PublicationRef } from "../protocol/publication-ref.js";
import { toWireSnapshot } from "../protocol/to-wire-snapshot.js";
import type { WireSnapshot } from "../protocol/wire-snapshot.js";
import type { EngineFactory, HostedEngine } from "./host-types.js";

/** One running engine and what the host tracks about it. */
export interface RunningEngine {
  readonly ref: PublicationRef;
  readonly engine: HostedEngine;
  /** Started from the persisted list, before any page stated its tuning. */
  readonly restored: boolean;
  /** The latest snapshot, as sent on the wire (greets tabs that join later). */
  readonly last: WireSnapshot | undefined;
  /** Cancels the pending stop (grace period or lease), if one is scheduled. */
  cancelStop: (() => void) | undefined;
}

/**
 * The running engines, at most one per ref. Reports every snapshot to
 * `onSnapshot` (with the state the engine was in before) and lets the
 * service worker's `waitUntil` wait for the moment none runs.
 */
export class EnginePool {
  private readonly engines = new Map<string, RunningEngine & { unwatch(): void; last: WireSnapshot | undefined }>();
  /**
   * One promise per busy period, shared by every caller: the worker asks on
   * every page message, and a waiter per call would pile up for as long as
   * streams run (weeks on a wall screen).
   */
  private idle: { readonly promise: Promise<void>; readonly resolve: () => void } | undefined;

  constructor(
    private readonly createEngine: EngineFactory,
    private readonly onSnapshot: (running: RunningEngine, previous: WireSnapshot | undefined, snapshot: CacheSnapshot) => void,
  ) {}

  get size(): number {
    return this.engines.size;
  }

  get(ref: PublicationRef): RunningEngine | undefined {
    return this.engines.get(refKey(ref));
  }

  all(): RunningEngine[] {
    return [...this.engines.values()];
  }

  /** Starts an engine for `ref` (the caller made sure none runs). */
  start(ref: PublicationRef, tuning: EngineTuning | undefined, restored: boolean): RunningEngine {
    const engine = this.createEngine(ref, tuning);
    const running = { ref, engine, restored, last: undefined as WireSnapshot | undefined, cancelStop: undefined, unwatch: () => {} };
    this.engines.set(refKey(ref), running);
    running.unwatch = engine.watch((snapshot) => {
      const previous = running.last;
      running.last = toWireSnapshot(snapshot);
      this.onSnapshot(running, previous, snapshot);
    });
    return running;
  }

  /**
   * Stops an engine. It stops watching first, so pages never see the
   * `closed` snapshot of an engine that is merely being replaced or released.
   */
  async stop(running: RunningEngine): Promise<void> {
    running.cancelStop?.();
    running.cancelStop = undefined;
    const key = refKey(running.ref);
    const own = this.engines.get(key);
    if (own === running) {
      own.unwatch();
      this.engines.delete(key);
    }
    if (this.engines.size === 0) this.wakeIdle();
    await running.engine.close();
  }

  /** Resolves once no engine runs: the same promise for every call until then. */
  whenIdle(): Promise<void> {
    if (this.engines.size === 0) return Promise.resolve();
    if (!this.idle) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.idle = { promise, resolve };
    }
    return this.idle.promise;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.all().map((running) => this.stop(running)));
    this.wakeIdle();
  }

  private wakeIdle(): void {
    this.idle?.resolve();
    this.idle = undefined;
  }
}
