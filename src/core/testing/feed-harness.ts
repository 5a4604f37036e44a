import { clone, create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Publication_Audience_Receipt, Publication_AudienceSchema, PublicationSchema, type Publication } from "../../gen/smartcore/traits/publication_pb.js";
import { createMemoryStorage } from "../../storage/memory/memory-storage.js";
import type { CacheSnapshot, CachedValue, PublicationCache } from "../cache-types.js";
import { createDeviceFeed, type DeviceFeedOptions } from "../feed/device-feed.js";
import { RecordingLogger } from "./cache-harness.js";
import { FakeClock, settle } from "./fake-clock.js";
import { FakeDeviceServer } from "./fake-device-server.js";

/**
 * A device feed on a fake device server and a fake clock: jitter off (polls
 * exactly one interval apart),
 * 10 s doubling to 80 s backoff, 60 s poll interval and quiet check, 1 s settle, 15 s open
 * timeout, 10 min re-probe, an in-memory storage, and a metadata-only
 * stream (`bodiesInStream: "never"`). Options override.
 */
export function feedHarness(options: Partial<DeviceFeedOptions> & { listPageSize?: number } = {}) {
  const clock = new FakeClock();
  const server = new FakeDeviceServer(() => clock.now(), options.listPageSize);
  const logger = new RecordingLogger();
  const storage = createMemoryStorage();
  const feed = createDeviceFeed({
    client: server.client,
    device: "dev",
    clock,
    logger,
    // The middle of every jitter range: a poll comes exactly one interval after the last.
    random: () => 0.5,
    storage,
    backoff: { minMs: 10_000, maxMs: 80_000, jitter: "none", refusedMs: 80_000 },
    pollIntervalMs: 60_000,
    timing: { quietCheckMs: 60_000, settleMs: 1_000, openTimeoutMs: 15_000, callTimeoutMs: 30_000, reprobeMs: 600_000 },
    // Most specs are about the metadata stream; stream-shape specs set it themselves.
    bodiesInStream: "never",
    ...options,
  });
  return { clock, server, logger, storage, feed };
}

/** A publication for feed tests, with a publish time so metadata is realistic. */
export function pub(id: string, version: string, body = `${id} ${version}`, extra: Partial<Publication> = {}): Publication {
  return create(PublicationSchema, {
    id,
    version,
    body: new TextEncoder().encode(body),
    mediaType: "text/plain",
    publishTime: timestampFromMs(Date.UTC(2026, 0, 1)),
    ...extra,
  });
}

/** The same publication acknowledged by its audience: same version, new receipt. */
export function acknowledged(publication: Publication, at: number): Publication {
  const next = clone(PublicationSchema, publication);
  next.audience = create(Publication_AudienceSchema, {
    name: "screen-1",
    receipt: Publication_Audience_Receipt.ACCEPTED,
    receiptTime: timestampFromMs(at),
  });
  return next;
}

/** Records what one view of the feed delivers. */
export function watchView(view: PublicationCache) {
  const values: CachedValue[] = [];
  const snapshots: CacheSnapshot[] = [];
  const stopValues = view.subscribe((value) => values.push(value));
  const stopWatch = view.watch((snapshot) => snapshots.push(snapshot));
  return {
    values,
    snapshots,
    bodies: () => values.map((v) => new TextDecoder().decode(v.publication.body)),
    versions: () => values.map((v) => v.publication.version),
    state: () => view.snapshot().state.kind,
    stop() {
      stopValues();
      stopWatch();
    },
  };
}

export { settle };
