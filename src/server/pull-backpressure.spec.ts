import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { request, type IncomingMessage } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  PullPublicationsRequestSchema,
  PullPublicationsResponseSchema,
  type PullPublicationsResponse_Change,
} from "../gen/smartcore/traits/publication_pb.js";
import { ChangeType } from "../gen/smartcore/types/change_pb.js";
import { frame } from "./testing/grpc-web-frames.js";
import { eventually, startTestServer, text, utf8, type TestServer } from "./testing/test-server.js";

/**
 * A PullPublications receiver that falls behind, over a real socket: the
 * client stops reading, TCP backpressure reaches the server's stream, and
 * the changes made meanwhile must arrive merged once it reads again.
 */

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer();
});
afterEach(() => t.stop());

const FILLER = "0-filler";
/** Big enough that a few of them fill the socket buffers between server and client. */
const FILLER_BYTES = 1024 * 1024;

/** Opens PullPublications with plain node:http and does not read the body until `resume()`. */
async function pausedPullPublications(url: string) {
  const body = frame(toBinary(PullPublicationsRequestSchema, create(PullPublicationsRequestSchema, {})));
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(`${url}/smartcore.traits.PublicationApi/PullPublications`, {
      method: "POST",
      headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
    });
    req.once("response", resolve).once("error", reject);
    req.end(Buffer.from(body));
  });
  // Not reading: Node stops reading the socket once its small buffer is full.
  response.pause();
  return {
    /** Reads changes until one satisfies `last`; returns every change read. */
    async readUntil(last: (c: PullPublicationsResponse_Change) => boolean): Promise<PullPublicationsResponse_Change[]> {
      const changes: PullPublicationsResponse_Change[] = [];
      let buffered = Buffer.alloc(0);
      for await (const chunk of response) {
        buffered = Buffer.concat([buffered, chunk as Buffer]);
        while (buffered.length >= 5 && buffered.length >= 5 + buffered.readUInt32BE(1)) {
          const length = buffered.readUInt32BE(1);
          const message = fromBinary(PullPublicationsResponseSchema, buffered.subarray(5, 5 + length));
          buffered = buffered.subarray(5 + length);
          changes.push(...message.changes);
          if (message.changes.some(last)) return changes;
        }
      }
      throw new Error("the stream ended first");
    },
    close: () => response.destroy(),
  };
}

const stats = () => t.server.stats();
const described = (c: PullPublicationsResponse_Change) => [
  ChangeType[c.type],
  c.oldValue?.id ?? c.newValue?.id,
  c.oldValue === undefined ? undefined : text(c.oldValue.body),
  c.newValue === undefined ? undefined : text(c.newValue.body),
];

describe("PullPublications with a receiver that falls behind", () => {
  it("merges the changes made while the client was not reading, per id, in first-pending order", async () => {
    const client = t.client;
    for (const [id, body] of [["x", "x1"], ["w", "w1"], ["v", "v1"], [FILLER, ""]]) {
      await client.createPublication({ publication: { id, body: utf8(body!) } });
    }
    const stream = await pausedPullPublications(t.url);
    try {
      await eventually(() => stats().openStreams.PullPublications === 1);

      // Fill the socket until the server's stream waits for the client to read.
      let filler = 0;
      while (stats().streamsWaitingOnClient.PullPublications === 0) {
        if (++filler > 200) throw new Error("the stream never backed up");
        const before = stats().bytesSent.PullPublications!;
        const body = new Uint8Array(FILLER_BYTES).fill(filler % 256);
        await client.updatePublication({ publication: { id: FILLER, body } });
        // The stream either wrote this change, or is already waiting.
        await eventually(() => stats().bytesSent.PullPublications! > before || stats().streamsWaitingOnClient.PullPublications === 1);
      }
      const sentBefore = stats().bytesSent.PullPublications;

      // Interleaved, so that the order by first pending position shows.
      await client.updatePublication({ publication: { id: FILLER, body: new Uint8Array(FILLER_BYTES).fill(0xf1) } });
      await client.deletePublication({ id: "x" });
      await client.updatePublication({ publication: { id: "w", body: utf8("w2") } });
      await client.createPublication({ publication: { id: "z", body: utf8("z1") } });
      await client.createPublication({ publication: { id: "x", body: utf8("x2") } });
      await client.updatePublication({ publication: { id: "w", body: utf8("w3") } });
      await client.updatePublication({ publication: { id: "z", body: utf8("z2") } });
      await client.createPublication({ publication: { id: "y", body: utf8("y1") } });
      await client.updatePublication({ publication: { id: "v", body: utf8("v2") } });
      await client.deletePublication({ id: "y" });
      await client.deletePublication({ id: "v" });
      await client.updatePublication({ publication: { id: FILLER, body: new Uint8Array(FILLER_BYTES).fill(0xf2) } });
      await client.createPublication({ publication: { id: "end", body: utf8("end") } });
      await new Promise((resolve) => setImmediate(resolve));
      // Nothing was written meanwhile: every change above waited on the server.
      expect(stats().bytesSent.PullPublications).toBe(sentBefore);
      expect(stats().streamsWaitingOnClient.PullPublications).toBe(1);

      const received = await stream.readUntil((c) => c.newValue?.id === "end");
      const opening = received.slice(0, 4).map(described);
      expect(opening).toEqual([
        ["ADD", FILLER, undefined, ""],
        ["ADD", "v", undefined, "v1"],
        ["ADD", "w", undefined, "w1"],
        ["ADD", "x", undefined, "x1"],
      ]);
      const later = received.slice(4).filter((c) => (c.newValue ?? c.oldValue)!.id !== FILLER);
      expect(later.map(described)).toEqual([
        ["REPLACE", "x", "x1", "x2"],
        ["UPDATE", "w", "w1", "w3"],
        ["ADD", "z", undefined, "z2"],
        ["REMOVE", "v", "v1", undefined],
        ["ADD", "end", undefined, "end"],
      ]);
      // The two filler updates made while waiting arrived as one UPDATE ending with the last of them.
      const fillerChanges = received.slice(4).filter((c) => (c.newValue ?? c.oldValue)!.id === FILLER);
      expect(fillerChanges.length).toBeLessThan(filler + 2);
      expect(fillerChanges.at(-1)!.type).toBe(ChangeType.UPDATE);
      expect(fillerChanges.at(-1)!.newValue!.body[0]).toBe(0xf2);
      expect(fillerChanges.at(-1)!.oldValue!.body[0]).not.toBe(0xf1);
      await eventually(() => stats().streamsWaitingOnClient.PullPublications === 0);
    } finally {
      stream.close();
    }
  });
});
