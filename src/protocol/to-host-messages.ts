import { parseEngineTuning } from "./engine-tuning.js";
import { MAX_ID, messageOf, parseWithTable, type MessageTable } from "./message-spec.js";
import type { DeviceWatch, SubscriptionClaim, ToHostMessage } from "./messages.js";
import { asServerUrl, parsePublicationRef, parseScope } from "./publication-ref.js";
import { RECEIPT_FIELDS } from "./receipt-fields.js";
import { arrayOf, asString, nonEmptyStringOf, numberOf, optionalOf, recordOf, type Reader, type Untrusted } from "./validate.js";

const MAX_TOKEN = 16 * 1024;
const MAX_CLAIMS = 1000;
const MAX_DEVICES = 16;
/** A tab's heartbeat period: at most 10 minutes (the page client's default is 5 s). */
const MAX_HEARTBEAT_MS = 600_000;

const clientId = nonEmptyStringOf(MAX_ID);
const parseClaim: Reader<SubscriptionClaim> = recordOf({ ref: parsePublicationRef, tuning: optionalOf(parseEngineTuning) });
const parseDeviceWatch: Reader<DeviceWatch> = recordOf({ scope: parseScope, tuning: optionalOf(parseEngineTuning) });
/** A token, or `null` to forget the one held; never empty. */
const token: Reader<string | null> = (value) => (value === null ? null : asString(value, MAX_TOKEN) || undefined);

/**
 * The protocol's page → host rows (see `parse-messages.ts` for the whole
 * table). Only the host validates these: pages import the other direction's
 * table, so these validators stay out of every page's bundle.
 */
export const TO_HOST_MESSAGES: MessageTable<ToHostMessage> = {
  "subscribe": { direction: "to-host", version: 1, parse: messageOf("subscribe", { clientId, claim: parseClaim }) },
  "unsubscribe": { direction: "to-host", version: 1, parse: messageOf("unsubscribe", { clientId, ref: parsePublicationRef }) },
  "heartbeat": {
    direction: "to-host",
    version: 1,
    parse: messageOf("heartbeat", {
      clientId,
      claims: arrayOf(MAX_CLAIMS, parseClaim),
      devices: optionalOf(arrayOf(MAX_DEVICES, parseDeviceWatch)),
      heartbeatMs: optionalOf(numberOf(1, MAX_HEARTBEAT_MS)),
    }),
  },
  "watch-device": { direction: "to-host", version: 1, parse: messageOf("watch-device", { clientId, watch: parseDeviceWatch }) },
  "unwatch-device": { direction: "to-host", version: 1, parse: messageOf("unwatch-device", { clientId, scope: parseScope }) },
  "acknowledge": { direction: "to-host", version: 1, parse: messageOf("acknowledge", { clientId, ref: parsePublicationRef, ...RECEIPT_FIELDS }) },
  "goodbye": { direction: "to-host", version: 1, parse: messageOf("goodbye", { clientId }) },
  "wake": { direction: "to-host", version: 1, parse: messageOf("wake", { clientId }) },
  "token": { direction: "to-host", version: 1, parse: messageOf("token", { server: asServerUrl, token }) },
  "clear": { direction: "to-host", version: 1, parse: messageOf("clear", { requestId: nonEmptyStringOf(MAX_ID), scope: parseScope }) },
};

/** Validates a message meant for the host: `undefined` for anything else, page-bound messages included. */
export function parseToHostMessage(raw: Untrusted): ToHostMessage | undefined {
  return parseWithTable(TO_HOST_MESSAGES, raw);
}
