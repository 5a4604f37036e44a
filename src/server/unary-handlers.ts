import { clone, create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  ListPublicationsResponseSchema,
  PublicationSchema,
  type PublicationApi,
  type Publication,
} from "../gen/smartcore/traits/publication_pb.js";
import { checkDeviceName } from "./device-name.js";
import { applyReadMask, applyUpdateMask, validateMask } from "./field-mask.js";
import { decodePageToken, effectivePageSize, encodePageToken } from "./page-token.js";
import { compareIds } from "./publication-store.js";
import { acknowledge, checkVersion, publish, requireField } from "./publication-rules.js";
import type { ServiceContext } from "./service-context.js";

export type UnaryHandlers = Pick<
  ServiceImpl<typeof PublicationApi>,
  | "createPublication"
  | "getPublication"
  | "updatePublication"
  | "deletePublication"
  | "listPublications"
  | "acknowledgePublication"
>;

/**
 * The six unary RPCs with the reference server's rules. Every write holds the
 * publication's lock for "check, write the file, apply in memory", so the file
 * always holds what memory holds.
 */
export function createUnaryHandlers(ctx: ServiceContext): UnaryHandlers {
  const { store, locks, clock } = ctx;

  async function save(publication: Publication): Promise<void> {
    try {
      await ctx.storage.store(publication);
      await ctx.history?.record(publication);
    } catch (cause) {
      throw new ConnectError(`cannot save publication ${JSON.stringify(publication.id)}: ${String(cause)}`, Code.Internal);
    }
  }

  function existing(id: string): Publication {
    const entry = store.get(id);
    if (entry === undefined) throw new ConnectError(`publication ${JSON.stringify(id)} not found`, Code.NotFound);
    return entry.publication;
  }

  function unusedId(): string {
    for (;;) {
      const id = ctx.newId();
      if (store.get(id) === undefined) return id;
    }
  }

  return {
    async createPublication(request) {
      checkDeviceName(ctx.device, request.name);
      if (request.publication === undefined) throw new ConnectError("publication is required", Code.InvalidArgument);
      const id = request.publication.id !== "" ? request.publication.id : unusedId();
      return locks.run(id, async () => {
        if (store.get(id) !== undefined) {
          throw new ConnectError(`publication ${JSON.stringify(id)} already exists`, Code.AlreadyExists);
        }
        const now = clock.now();
        const value = publish(withId(request.publication!, id), now, ctx.mintVersion);
        await save(value);
        store.put(value, now);
        return value;
      });
    },

    getPublication(request) {
      checkDeviceName(ctx.device, request.name);
      const id = requireField(request.id, "id");
      validateMask(PublicationSchema, request.readMask, "read_mask");
      // The reference ignores `version`: the answer is always the current value.
      const answer = applyReadMask(PublicationSchema, existing(id), request.readMask);
      return ctx.faults.nextGetPublication(answer, (request.readMask?.paths.length ?? 0) > 0);
    },

    async updatePublication(request) {
      checkDeviceName(ctx.device, request.name);
      const id = requireField(request.publication?.id, "publication.id");
      validateMask(PublicationSchema, request.updateMask, "update_mask");
      return locks.run(id, async () => {
        const current = existing(id);
        checkVersion(current, request.version, Code.FailedPrecondition);
        const merged = applyUpdateMask(PublicationSchema, current, request.publication!, request.updateMask);
        merged.id = id; // an update mask without "id" must not clear it
        const now = clock.now();
        const value = publish(merged, now, ctx.mintVersion);
        await save(value);
        store.put(value, now);
        return value;
      });
    },

    async deletePublication(request) {
      checkDeviceName(ctx.device, request.name);
      const id = requireField(request.id, "id");
      return locks.run(id, async () => {
        if (store.get(id) === undefined && request.allowMissing) return create(PublicationSchema);
        const current = existing(id);
        checkVersion(current, request.version, Code.FailedPrecondition);
        try {
          await ctx.storage.delete(id);
          await ctx.history?.forget(id);
        } catch (cause) {
          throw new ConnectError(`cannot delete publication ${JSON.stringify(id)}: ${String(cause)}`, Code.Internal);
        }
        store.remove(id, clock.now());
        return current;
      });
    },

    listPublications(request) {
      checkDeviceName(ctx.device, request.name);
      validateMask(PublicationSchema, request.readMask, "read_mask");
      const pageSize = effectivePageSize(request.pageSize);
      const after = decodePageToken(request.pageToken);
      const all = store.list();
      // Start after the last id sent, found by value: removals between pages cannot skip items.
      const start = after === "" ? 0 : all.findIndex((e) => compareIds(e.publication.id, after) > 0);
      const page = start < 0 ? [] : all.slice(start, start + pageSize);
      // As the reference: a page that reaches the end exactly still carries a token (the next page is empty).
      const more = start >= 0 && start + pageSize <= all.length;
      return create(ListPublicationsResponseSchema, {
        publications: page.map((e) => applyReadMask(PublicationSchema, e.publication, request.readMask)),
        nextPageToken: more ? encodePageToken(page[page.length - 1]!.publication.id) : "",
        totalSize: all.length,
      });
    },

    async acknowledgePublication(request) {
      checkDeviceName(ctx.device, request.name);
      const id = requireField(request.id, "id");
      requireField(request.version, "version");
      return locks.run(id, async () => {
        const current = existing(id);
        const now = clock.now();
        const value = acknowledge(current, request, now);
        if (value === undefined) return current;
        await save(value);
        store.put(value, now);
        return value;
      });
    },
  };
}

function withId(publication: Publication, id: string): Publication {
  const copy = clone(PublicationSchema, publication);
  copy.id = id;
  return copy;
}
