import type { CacheError } from "../core/cache-types.js";
import type { EngineTuning } from "./engine-tuning.js";
import type { PublicationRef, RefScope } from "./publication-ref.js";
import type { WireSnapshot, WireStateChange } from "./wire-snapshot.js";

/**
 * The worker ↔ page protocol. Every message is an envelope `{ v, type, ... }`;
 * a receiver drops (and counts) anything whose `v` it does not speak or whose
 * fields do not validate. Bump {@link PROTOCOL_VERSION} on any incompatible
 * change: an old tab and a new worker then ignore each other instead of
 * misreading each other.
 */
export const PROTOCOL_VERSION = 1;

/** The BroadcastChannel every tab and the host share (one per origin). */
export const CHANNEL_NAME = `pubcache:v${PROTOCOL_VERSION}`;

/**
 * The channel of one cache instance. A cache is identified by its IndexedDB
 * database: a host and pages on another database name are another cache and
 * must not hear each other (or one would clear the other's data).
 */
export function channelName(databaseName?: string): string {
  return databaseName ? `${CHANNEL_NAME}:${databaseName}` : CHANNEL_NAME;
}

/** A page's interest in one ref, with the timing it would like the engine to use. */
export interface SubscriptionClaim {
  readonly ref: PublicationRef;
  readonly tuning?: EngineTuning;
}

// ---- page → host ---------------------------------------------------------

/** A tab starts to need a ref. */
export interface SubscribeMessage {
  readonly v: 1;
  readonly type: "subscribe";
  /** Random per-tab id; refcounts are kept per client id. */
  readonly clientId: string;
  readonly claim: SubscriptionClaim;
}

/** A tab no longer needs a ref (the grace period starts if it was the last one). */
export interface UnsubscribeMessage {
  readonly v: 1;
  readonly type: "unsubscribe";
  readonly clientId: string;
  readonly ref: PublicationRef;
}

/**
 * Sent every few seconds. Carries the tab's *whole* subscription list, so a
 * host that restarted (worker stopped by the browser, new leader tab) rebuilds
 * its refcounts from heartbeats alone; and a tab that stops sending them
 * (crashed, frozen) loses its claims after the lease.
 */
export interface HeartbeatMessage {
  readonly v: 1;
  readonly type: "heartbeat";
  readonly clientId: string;
  readonly claims: readonly SubscriptionClaim[];
  /** The devices this tab watches whole (a fleet view); absent means none. */
  readonly devices?: readonly DeviceWatch[];
  /**
   * How often this tab sends heartbeats (ms). A worker host then watches the
   * tab: visible and silent for several periods, it is taken as hung and
   * reloaded (at most once per 10 minutes). Absent: not watched.
   */
  readonly heartbeatMs?: number;
}

/** A tab's interest in every publication of one server × device (metadata only). */
export interface DeviceWatch {
  readonly scope: RefScope;
  readonly tuning?: EngineTuning;
}

/** A tab starts watching every publication of a device (a fleet view). */
export interface WatchDeviceMessage {
  readonly v: 1;
  readonly type: "watch-device";
  readonly clientId: string;
  readonly watch: DeviceWatch;
}

/** A tab stops watching a device. */
export interface UnwatchDeviceMessage {
  readonly v: 1;
  readonly type: "unwatch-device";
  readonly clientId: string;
  readonly scope: RefScope;
}

/**
 * The screen shows (`accepted`) or cannot show (`rejected`) this version of
 * a publication addressed to it: the host tells the server
 * (AcknowledgePublication), once, even if that has to wait for the network.
 */
export interface AcknowledgeMessage {
  readonly v: 1;
  readonly type: "acknowledge";
  readonly clientId: string;
  readonly ref: PublicationRef;
  readonly version: string;
  readonly publishTimeMs?: number;
  readonly receipt: "accepted" | "rejected";
  /** Why it cannot be shown; at most 200 characters. */
  readonly reason?: string;
}

/** The tab is going away (pagehide): release every claim now. */
export interface GoodbyeMessage {
  readonly v: 1;
  readonly type: "goodbye";
  readonly clientId: string;
}

/**
 * The page saw the network come back or became visible: retry now instead of
 * at the end of the current backoff wait.
 */
export interface WakeMessage {
  readonly v: 1;
  readonly type: "wake";
  readonly clientId: string;
}

/** A page answers a token request. The host keeps it in memory only. */
export interface TokenMessage {
  readonly v: 1;
  readonly type: "token";
  readonly server: string;
  /** `null`: the page has no token any more (signed out): the host forgets its copy. */
  readonly token: string | null;
}

/** Wipe a scope's cached data (e.g. sign-out); the host answers `cleared`. */
export interface ClearMessage {
  readonly v: 1;
  readonly type: "clear";
  readonly requestId: string;
  readonly scope: RefScope;
}

export type ToHostMessage =
  | SubscribeMessage
  | UnsubscribeMessage
  | HeartbeatMessage
  | GoodbyeMessage
  | WakeMessage
  | TokenMessage
  | ClearMessage
  | WatchDeviceMessage
  | UnwatchDeviceMessage
  | AcknowledgeMessage;

// ---- host → pages --------------------------------------------------------

/**
 * The current snapshot of a ref, value bytes included: sent when the value
 * changed (a new version or new bytes), when it has none, and to greet a tab
 * that claims the ref.
 */
export interface SnapshotMessage {
  readonly v: 1;
  readonly type: "snapshot";
  readonly ref: PublicationRef;
  readonly snapshot: WireSnapshot;
}

/** A ref's state or freshness changed, its value did not: no bytes (pages keep the value they hold). */
export interface StateMessage {
  readonly v: 1;
  readonly type: "state";
  readonly ref: PublicationRef;
  readonly change: WireStateChange;
}

/** The host needs a (fresh) token for this server; pages with `getToken` answer with `token`. */
export interface TokenRequestMessage {
  readonly v: 1;
  readonly type: "token-request";
  readonly server: string;
}

/** A `clear` finished. */
export interface ClearedMessage {
  readonly v: 1;
  readonly type: "cleared";
  readonly requestId: string;
}

/** A host (re)started: pages send a heartbeat at once instead of waiting for the next tick. */
export interface HostReadyMessage {
  readonly v: 1;
  readonly type: "host-ready";
  readonly hostId: string;
}

/**
 * Every publication of a watched device, as metadata (binary protobuf,
 * bodies left out): sent on every change and to each new watcher.
 */
export interface DeviceMessage {
  readonly v: 1;
  readonly type: "device";
  readonly scope: RefScope;
  readonly publications: readonly Uint8Array[];
}

/** Where one acknowledgement of this screen stands, as the host reports it (see the core's `ReceiptStatus`). */
export interface ReceiptInfo {
  /** The device (Smart Core name) the publication belongs to. */
  readonly device: string;
  /** The publication's id. */
  readonly id: string;
  /** The version acknowledged (opaque). */
  readonly version: string;
  /** That version's publish time, milliseconds since the epoch, when the server gave one. */
  readonly publishTimeMs?: number;
  /** What the screen said about it. */
  readonly receipt: "accepted" | "rejected";
  /** Why it was rejected (at most 200 characters). */
  readonly reason?: string;
  /** `pending`: waiting to be sent (offline, or retrying); `sent`: the server has it; `refused`: the server said no for good (e.g. PERMISSION_DENIED). */
  readonly status: "pending" | "sent" | "refused";
  /** When the status last changed, milliseconds since the epoch. */
  readonly updatedAt: number;
  /** The server's last refusal or failure, when there was one. */
  readonly lastError?: CacheError;
}

/** A receipt as it crosses the worker/tab boundary: the same record pages see. */
export type WireReceipt = ReceiptInfo;

/** This origin's acknowledgements to one server, after any change (diagnostics). */
export interface ReceiptsMessage {
  readonly v: 1;
  readonly type: "receipts";
  readonly server: string;
  readonly receipts: readonly WireReceipt[];
  /**
   * Set while the server's access policy refuses this origin's
   * acknowledgements (PERMISSION_DENIED, e.g. a read-only sign-in): when the
   * refusal came, milliseconds since the epoch. None is sent until the
   * credentials change.
   */
  readonly refusedSince?: number;
}

/**
 * Storage lost while the host ran, and what the host did about it (for
 * diagnostics: "storage was cleared at 14:02; 4 values written back").
 */
export interface StorageRecovery {
  /**
   * `database`: the IndexedDB database was cleared or deleted under the
   * host; `app-files`: the precached app files were gone from Cache Storage.
   */
  readonly storage: "database" | "app-files";
  /** When the host noticed (ms since the epoch). */
  readonly detectedAt: number;
  /** When everything was written back; absent while that waits (app files wait for the network). */
  readonly restoredAt?: number;
  /** Values (database) or files (app files) written back. */
  readonly restored: number;
}

/** The host's storage recoveries, newest last (at most {@link MAX_STORAGE_RECOVERIES}): on every change and to new tabs. */
export interface StorageRecoveriesMessage {
  readonly v: 1;
  readonly type: "storage-recoveries";
  readonly recoveries: readonly StorageRecovery[];
}

/** How many recoveries the host keeps and sends. */
export const MAX_STORAGE_RECOVERIES = 20;

/** What the worker's watchdog did about a tab that stopped answering (diagnostics). */
export interface WatchdogEvent {
  /** The tab's address. */
  readonly url: string;
  /** When the watchdog acted (ms since the epoch). */
  readonly at: number;
  /** `reloaded`: navigated to its own address; `held-back`: it had reloaded that address less than 10 minutes before. */
  readonly action: "reloaded" | "held-back";
  /** How long the tab had been silent while visible (ms). */
  readonly silentMs: number;
}

/** The watchdog's events, newest last (at most {@link MAX_WATCHDOG_EVENTS}): on every change and to new tabs. */
export interface WatchdogEventsMessage {
  readonly v: 1;
  readonly type: "watchdog-events";
  readonly events: readonly WatchdogEvent[];
}

/** How many watchdog events the host keeps and sends. */
export const MAX_WATCHDOG_EVENTS = 20;

/**
 * The HTTP protocol the host's last finished request to one server went over
 * (Resource Timing's `nextHopProtocol`, an ALPN id: `h2`, `http/1.1`, `h3`).
 */
export interface UpstreamProtocol {
  /** The server's origin (`https://kiosk.test:8700`). */
  readonly origin: string;
  /**
   * `h2`, `http/1.1`, `h3`…; absent when the browser did not say: a
   * cross-origin server must send `Timing-Allow-Origin` for it to.
   */
  readonly protocol?: string;
  /** When a request to this server first finished over this protocol, after another or none (ms since the epoch). */
  readonly since: number;
}

/** The protocol of every server the host talks to: on every change and to each new tab. */
export interface UpstreamProtocolsMessage {
  readonly v: 1;
  readonly type: "upstream-protocols";
  readonly upstreams: readonly UpstreamProtocol[];
}

/** How many servers' protocols the host keeps and sends. */
export const MAX_UPSTREAM_PROTOCOLS = 16;

/**
 * When the host last heard a server — any successful response or stream
 * message — and whether it has lost it since: the one fact behind "Offline
 * since" on every screen, kept by the host across reloads and restarts.
 */
export interface ServerContact {
  /** The server's URL, as pages name it. */
  readonly server: string;
  /** The last successful response or stream message (ms since the epoch); absent when never heard. */
  readonly heardAt?: number;
  /** The first failed call after `heardAt` (ms since the epoch); absent while the server answers. */
  readonly lostAt?: number;
}

/** The host's contact with every server it calls: on every change (at most once a second while heard) and to each new tab. */
export interface ServerContactsMessage {
  readonly v: 1;
  readonly type: "server-contacts";
  readonly contacts: readonly ServerContact[];
}

/** How many servers' contacts the host keeps and sends. */
export const MAX_SERVER_CONTACTS = 16;

/**
 * What the host reports about itself and this origin — acknowledgements,
 * storage recoveries, the watchdog, upstream protocols, server contacts —
 * on every change and to each new tab, for diagnostics. No value waits for
 * one: pages validate them with a table of their own (`host-reports.ts`),
 * loaded when the first arrives.
 */
export type HostReportMessage =
  | ReceiptsMessage
  | StorageRecoveriesMessage
  | WatchdogEventsMessage
  | UpstreamProtocolsMessage
  | ServerContactsMessage;

export type ToPageMessage =
  | SnapshotMessage
  | StateMessage
  | TokenRequestMessage
  | ClearedMessage
  | HostReadyMessage
  | DeviceMessage
  | HostReportMessage;

/** Every message of the protocol, either way. */
export type AnyMessage = ToHostMessage | ToPageMessage;
type WithoutVersion<M> = M extends unknown ? Omit<M, "v"> : never;

/** Builds an envelope of the current version around a message body. */
export function envelope<T extends AnyMessage["type"]>(
  message: WithoutVersion<Extract<AnyMessage, { type: T }>> & { type: T },
): Extract<AnyMessage, { type: T }> {
  return { v: PROTOCOL_VERSION, ...message } as unknown as Extract<AnyMessage, { type: T }>;
}
