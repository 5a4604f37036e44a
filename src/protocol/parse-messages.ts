import { parseEngineTuning } from "./engine-tuning.js";
import type { SubscriptionClaim, ToHostMessage, ToPageMessage } from "./messages.js";
import { PROTOCOL_VERSION } from "./messages.js";
import { asServerUrl, parsePublicationRef, parseScope } from "./publication-ref.js";
import { absent, asArrayOf, asRecord, asString, optional, type Untrusted } from "./validate.js";
import { parseWireSnapshot } from "./wire-snapshot.js";

const MAX_ID = 128;
const MAX_TOKEN = 16 * 1024;
const MAX_CLAIMS = 1000;

/**
 * Validates a message meant for the host. Returns `undefined` for anything
 * that is not a well-formed version-1 host message — including messages meant
 * for pages, which share the channel.
 */
export function parseToHostMessage(raw: Untrusted): ToHostMessage | undefined {
  const record = versioned(raw);
  if (!record) return undefined;
  const v = PROTOCOL_VERSION;
  switch (record.type) {
    case "subscribe": {
      const clientId = asString(record.clientId, MAX_ID);
      const claim = parseClaim(record.claim);
      return clientId && claim ? { v, type: "subscribe", clientId, claim } : undefined;
    }
    case "unsubscribe": {
      const clientId = asString(record.clientId, MAX_ID);
      const ref = parsePublicationRef(record.ref);
      return clientId && ref ? { v, type: "unsubscribe", clientId, ref } : undefined;
    }
    case "heartbeat": {
      const clientId = asString(record.clientId, MAX_ID);
      const claims = asArrayOf(record.claims, MAX_CLAIMS, parseClaim);
      return clientId && claims ? { v, type: "heartbeat", clientId, claims } : undefined;
    }
    case "goodbye": {
      const clientId = asString(record.clientId, MAX_ID);
      return clientId ? { v, type: "goodbye", clientId } : undefined;
    }
    case "wake": {
      const clientId = asString(record.clientId, MAX_ID);
      return clientId ? { v, type: "wake", clientId } : undefined;
    }
    case "token": {
      const server = asServerUrl(record.server);
      const token = asString(record.token, MAX_TOKEN);
      return server && token ? { v, type: "token", server, token } : undefined;
    }
    case "clear": {
      const requestId = asString(record.requestId, MAX_ID);
      const scope = parseScope(record.scope);
      return requestId && scope ? { v, type: "clear", requestId, scope } : undefined;
    }
    default:
      return undefined;
  }
}

/** Validates a message meant for pages; `undefined` for anything else. */
export function parseToPageMessage(raw: Untrusted): ToPageMessage | undefined {
  const record = versioned(raw);
  if (!record) return undefined;
  const v = PROTOCOL_VERSION;
  switch (record.type) {
    case "snapshot": {
      const ref = parsePublicationRef(record.ref);
      const snapshot = parseWireSnapshot(record.snapshot);
      return ref && snapshot ? { v, type: "snapshot", ref, snapshot } : undefined;
    }
    case "token-request": {
      const server = asServerUrl(record.server);
      return server ? { v, type: "token-request", server } : undefined;
    }
    case "cleared": {
      const requestId = asString(record.requestId, MAX_ID);
      return requestId ? { v, type: "cleared", requestId } : undefined;
    }
    case "host-ready": {
      const hostId = asString(record.hostId, MAX_ID);
      return hostId ? { v, type: "host-ready", hostId } : undefined;
    }
    default:
      return undefined;
  }
}

/** Host-bound message types; pages use it to tell "not for me" from "malformed". */
export const TO_HOST_TYPES: readonly string[] = ["subscribe", "unsubscribe", "heartbeat", "goodbye", "wake", "token", "clear"];
/** Page-bound message types; the host uses it to tell "not for me" from "malformed". */
export const TO_PAGE_TYPES: readonly string[] = ["snapshot", "token-request", "cleared", "host-ready"];

function versioned(raw: Untrusted): Record<string, unknown> | undefined {
  const record = asRecord(raw);
  return record && record.v === PROTOCOL_VERSION && typeof record.type === "string" ? record : undefined;
}

function parseClaim(raw: Untrusted): SubscriptionClaim | undefined {
  const record = asRecord(raw);
  const ref = parsePublicationRef(record?.ref);
  const tuning = optional(record?.tuning, parseEngineTuning);
  if (!ref || tuning === undefined) return undefined;
  return tuning === absent ? { ref } : { ref, tuning };
}
