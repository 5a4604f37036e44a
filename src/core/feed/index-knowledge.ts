import type { Publication } from "../../gen/smartcore/traits/publication_pb.js";
import type { DeviceIndex } from "./device-index.js";

/**
 * What an attempt can say about one publication from the index:
 * - `meta`: the current stream (or listing) described it;
 * - `pending`: the opening snapshot is still arriving — wait for it;
 * - `stale`: known only from an earlier stream — ask the server;
 * - `absent`: the attempt knows every publication of the device, and this
 *   one is not among them.
 */
export type Knowledge =
  | { readonly kind: "meta"; readonly meta: Publication }
  | { readonly kind: "pending" }
  | { readonly kind: "stale" }
  | { readonly kind: "absent" };

export function knowledgeOf(index: DeviceIndex, id: string, indexComplete: boolean): Knowledge {
  const meta = index.get(id);
  if (meta && index.current(id)) return { kind: "meta", meta };
  if (!indexComplete) return { kind: "pending" };
  return index.has(id) ? { kind: "stale" } : { kind: "absent" };
}
