import { parseEngineTuning } from "./engine-tuning.js";
import { MAX_ID, parseWithTable, type MessageTable } from "./message-spec.js";
import { PROTOCOL_VERSION, type DeviceWatch, type SubscriptionClaim, type ToHostMessage } from "./messages.js";
import { asServerUrl, parsePublicationRef, parseScope } from "./publication-ref.js";
import { parseReceiptFields } from "./receipt-fields.js";
import { absent, asArrayOf, asNumber, asRecord, asString, optional, type Untrusted } from "./validate.js";

const MAX_TOKEN = 16 * 1024;
const MAX_CLAIMS = 1000;
const MAX_DEVICES = 16;
/** A tab's heartbeat period: at most 10 minutes (the page client's default is 5 s). */
const MAX_HEARTBEAT_MS = 600_000;

const v = PROTOCOL_VERSION;

/**
 * The protocol's page → host rows (see `parse-messages.ts` for the whole
 * table). Only the host validates these: pages import the other direction's
 * table, so these validators stay out of every page's bundle.
 */
export const TO_HOST_MESSAGES: MessageTable<ToHostMessage> = {
  "subscribe": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
      const clientId = asString(record.clientId, MAX_ID);
      const claim = parseClaim(record.claim);
      return clientId && claim ? { v, type: "subscribe", clientId, claim } : undefined;
    },
  },
  "unsubscribe": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
      const clientId = asString(record.clientId, MAX_ID);
      const ref = parsePublicationRef(record.ref);
      return clientId && ref ? { v, type: "unsubscribe", clientId, ref } : undefined;
    },
  },
  "heartbeat": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
      const clientId = asString(record.clientId, MAX_ID);
      const claims = asArrayOf(record.claims, MAX_CLAIMS, parseClaim);
      const devices = optional(record.devices, (value) => asArrayOf(value, MAX_DEVICES, parseDeviceWatch));
      const heartbeatMs = optional(record.heartbeatMs, (value) => asNumber(value, 1, MAX_HEARTBEAT_MS));
      if (!clientId || !claims || devices === undefined || heartbeatMs === undefined) return undefined;
      return {
        v,
        type: "heartbeat",
        clientId,
        claims,
        ...(devices !== absent && { devices }),
        ...(heartbeatMs !== absent && { heartbeatMs }),
      };
    },
  },
  "watch-device": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
      const clientId = asString(record.clientId, MAX_ID);
      const watch = parseDeviceWatch(record.watch);
      return clientId && watch ? { v, type: "watch-device", clientId, watch } : undefined;
    },
  },
  "unwatch-device": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
      const clientId = asString(record.clientId, MAX_ID);
      const scope = parseScope(record.scope);
      return clientId && scope ? { v, type: "unwatch-device", clientId, scope } : undefined;
    },
  },
  "acknowledge": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
      const clientId = asString(record.clientId, MAX_ID);
      const ref = parsePublicationRef(record.ref);
      const receipt = parseReceiptFields(record);
      return clientId && ref && receipt ? { v, type: "acknowledge", clientId, ref, ...receipt } : undefined;
    },
  },
  "goodbye": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
      const clientId = asString(record.clientId, MAX_ID);
      return clientId ? { v, type: "goodbye", clientId } : undefined;
    },
  },
  "wake": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
      const clientId = asString(record.clientId, MAX_ID);
      return clientId ? { v, type: "wake", clientId } : undefined;
    },
  },
  "token": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
      const server = asServerUrl(record.server);
      const token = record.token === null ? null : asString(record.token, MAX_TOKEN);
      return server && token !== undefined && token !== "" ? { v, type: "token", server, token } : undefined;
    },
  },
  "clear": {
    direction: "to-host",
    version: 1,
    parse: (record) => {
      const requestId = asString(record.requestId, MAX_ID);
      const scope = parseScope(record.scope);
      return requestId && scope ? { v, type: "clear", requestId, scope } : undefined;
    },
  },
};

/** Validates a message meant for the host: `undefined` for anything else, page-bound messages included. */
export function parseToHostMessage(raw: Untrusted): ToHostMessage | undefined {
  return parseWithTable(TO_HOST_MESSAGES, raw);
}

function parseDeviceWatch(raw: Untrusted): DeviceWatch | undefined {
  const record = asRecord(raw);
  const scope = parseScope(record?.scope);
  const tuning = optional(record?.tuning, parseEngineTuning);
  if (!scope || tuning === undefined) return undefined;
  return tuning === absent ? { scope } : { scope, tuning };
}

function parseClaim(raw: Untrusted): SubscriptionClaim | undefined {
  const record = asRecord(raw);
  const ref = parsePublicationRef(record?.ref);
  const tuning = optional(record?.tuning, parseEngineTuning);
  if (!ref || tuning === undefined) return undefined;
  return tuning === absent ? { ref } : { ref, tuning };
}
