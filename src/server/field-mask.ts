import { clone, create, type DescField, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import type { FieldMask } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";

/**
 * Field masks as the reference server applies them (sc-golang `masks`):
 * paths use proto field names (`audience.receipt`), a path naming a message
 * covers all of it, and a path naming an unknown field is INVALID_ARGUMENT.
 */

/** Field name → what of it the mask selects: all of it, or some of its fields. */
type MaskTree = Map<string, MaskTree | "all">;

/**
 * A copy of `message` holding only the fields `mask` selects (a read mask).
 * No mask returns `message` itself; a mask with no paths returns an empty
 * message. Throws INVALID_ARGUMENT (naming `maskName`) for an unknown path.
 */
export function applyReadMask<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
  mask: FieldMask | undefined,
  maskName = "read_mask",
): MessageShape<Desc> {
  if (mask === undefined) return message;
  const tree = parseMask(schema, mask.paths, maskName);
  const copy = clone(schema, message);
  keepOnly(reflect(schema, copy), tree);
  return copy;
}

/**
 * Throws INVALID_ARGUMENT when `mask` names a field `schema` does not have.
 * Lets a server reject a bad mask before it starts, e.g., a stream.
 */
export function validateMask(schema: DescMessage, mask: FieldMask | undefined, maskName: string): void {
  if (mask !== undefined) parseMask(schema, mask.paths, maskName);
}

/**
 * `current` updated from `change` as an update mask says:
 * - no mask: the result is `change` (every field replaced);
 * - a mask with no paths: nothing changes;
 * - otherwise each masked field is copied from `change`, and cleared when
 *   `change` does not set it.
 * Neither input is modified. Throws INVALID_ARGUMENT for an unknown path.
 */
export function applyUpdateMask<Desc extends DescMessage>(
  schema: Desc,
  current: MessageShape<Desc>,
  change: MessageShape<Desc>,
  mask: FieldMask | undefined,
  maskName = "update_mask",
): MessageShape<Desc> {
  if (mask === undefined) return clone(schema, change);
  const tree = parseMask(schema, mask.paths, maskName);
  const result = clone(schema, current);
  copyMasked(reflect(schema, result), reflect(schema, clone(schema, change)), tree);
  return result;
}

function parseMask(schema: DescMessage, paths: readonly string[], maskName: string): MaskTree {
  const root: MaskTree = new Map();
  for (const path of paths) {
    const parts = path.split(".");
    let node = root;
    let desc: DescMessage = schema;
    for (let i = 0; i < parts.length; i++) {
      const field = desc.fields.find((f) => f.name === parts[i]);
      const last = i === parts.length - 1;
      if (field === undefined || (!last && field.fieldKind !== "message")) {
        throw new ConnectError(`${maskName} mentions unknown field ${JSON.stringify(path)}`, Code.InvalidArgument);
      }
      const existing = node.get(field.name);
      if (existing === "all") break; // a shorter path already selects all of it
      if (last) {
        node.set(field.name, "all");
        break;
      }
      let child = existing;
      if (child === undefined) {
        child = new Map();
        node.set(field.name, child);
      }
      node = child;
      desc = (field as DescField & { fieldKind: "message" }).message;
    }
  }
  return root;
}

function keepOnly(message: ReflectMessage, tree: MaskTree): void {
  for (const field of message.fields) {
    const selected = tree.get(field.name);
    if (selected === undefined) {
      message.clear(field);
    } else if (selected !== "all" && field.fieldKind === "message" && message.isSet(field)) {
      keepOnly(message.get(field), selected);
    }
  }
}

function copyMasked(target: ReflectMessage, source: ReflectMessage, tree: MaskTree): void {
  for (const [name, selected] of tree) {
    const field = target.fields.find((f) => f.name === name)!;
    if (!source.isSet(field)) {
      target.clear(field);
    } else if (selected === "all" || field.fieldKind !== "message") {
      target.set(field, source.get(field));
    } else {
      const child = target.isSet(field) ? target.get(field) : reflect(field.message, create(field.message));
      copyMasked(child, source.get(field), selected);
      target.set(field, child);
    }
  }
}
