import { Code } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { Publication_Audience_Receipt as Receipt } from "../gen/smartcore/bos/publication/v1/publication_pb.js";
import { ChangeType } from "../gen/smartcore/types/change_pb.js";
import type { ServiceApi } from "./service-paths.js";
import {
  publicationClientV1,
  startTestServer,
  statusOf,
  text,
  utf8,
  type PublicationClient,
  type PublicationClientV1,
  type TestServer,
} from "./testing/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function start(api?: ServiceApi): Promise<{ traits: PublicationClient; v1: PublicationClientV1; s: TestServer }> {
  server = await startTestServer({ api });
  return { traits: server.client, v1: publicationClientV1(server.url), s: server };
}

/** One call of every method, as `client` offers them; every answer's status. */
async function everyMethod(client: PublicationClient | PublicationClientV1): Promise<Record<string, Code | "ok">> {
  const c = client as PublicationClient;
  return {
    CreatePublication: await statusOf(c.createPublication({ publication: { id: "x" } })),
    GetPublication: await statusOf(c.getPublication({ id: "x" })),
    UpdatePublication: await statusOf(c.updatePublication({ publication: { id: "x" } })),
    PullPublication: await statusOf(c.pullPublication({ id: "x" })),
    ListPublications: await statusOf(c.listPublications({})),
    PullPublications: await statusOf(c.pullPublications({})),
    AcknowledgePublication: await statusOf(c.acknowledgePublication({ id: "x", version: "nope", receipt: Receipt.ACCEPTED })),
    DeletePublication: await statusOf(c.deletePublication({ id: "x" })),
  };
}

const ALL_UNIMPLEMENTED = Object.fromEntries(
  ["CreatePublication", "GetPublication", "UpdatePublication", "PullPublication", "ListPublications", "PullPublications", "AcknowledgePublication", "DeletePublication"].map(
    (m) => [m, Code.Unimplemented],
  ),
);

describe("service paths (spec: Service paths)", () => {
  it("by default answers both, with one store: a change made through one path streams to the other", async () => {
    const { traits, v1 } = await start();
    const stream = v1.pullPublications({})[Symbol.asyncIterator]();
    const created = await traits.createPublication({ publication: { id: "a", body: utf8("one"), audience: { name: "screen" } } });
    const first = (await stream.next()).value!;
    expect(first.$typeName).toBe("smartcore.bos.publication.v1.PullPublicationsResponse");
    expect(first.changes[0]).toMatchObject({ type: ChangeType.ADD, newValue: { id: "a", version: created.version } });

    const got = await v1.getPublication({ id: "a" });
    expect(got.$typeName).toBe("smartcore.bos.publication.v1.Publication");
    expect(text(got.body)).toBe("one");
    const acked = await v1.acknowledgePublication({ id: "a", version: created.version, receipt: Receipt.ACCEPTED });
    expect(acked.audience?.receipt).toBe(Receipt.ACCEPTED);
    expect((await traits.getPublication({ id: "a" })).audience?.receipt).toBe(Receipt.ACCEPTED);
    expect((await stream.next()).value!.changes[0]).toMatchObject({ type: ChangeType.UPDATE });
    await stream.return?.();
  });

  it("counts the calls of both: per method summed in `calls`, per service in `callsByService`", async () => {
    const { traits, v1, s } = await start();
    await traits.createPublication({ publication: { id: "a" } });
    await v1.getPublication({ id: "a" });
    await v1.getPublication({ id: "a" });
    await traits.getPublication({ id: "a" });
    const stats = s.server.stats();
    expect(stats.calls.GetPublication).toBe(3);
    expect(stats.calls.CreatePublication).toBe(1);
    expect(stats.callsByService["smartcore.traits.PublicationApi"]).toMatchObject({ GetPublication: 1, CreatePublication: 1 });
    expect(stats.callsByService["smartcore.bos.publication.v1.PublicationApi"]).toMatchObject({ GetPublication: 2, CreatePublication: 0 });
    expect(Object.keys(stats.callsByService["smartcore.bos.publication.v1.PublicationApi"]!)).toHaveLength(8);
    expect(stats.bytesSent.GetPublication).toBeGreaterThan(0);
  });

  it("--api v1: every method of smartcore.traits answers UNIMPLEMENTED (unknown service); v1 serves", async () => {
    const { traits, v1, s } = await start("v1");
    expect(await everyMethod(traits)).toEqual(ALL_UNIMPLEMENTED);
    expect(await everyMethod(v1)).toMatchObject({ CreatePublication: "ok", GetPublication: "ok", ListPublications: "ok", PullPublications: "ok" });
    expect(s.server.stats().callsByService["smartcore.traits.PublicationApi"]!.GetPublication).toBe(0);
  });

  it("--api traits: every method of smartcore.bos.publication.v1 answers UNIMPLEMENTED; traits serves", async () => {
    const { traits, v1 } = await start("traits");
    expect(await everyMethod(v1)).toEqual(ALL_UNIMPLEMENTED);
    expect(await everyMethod(traits)).toMatchObject({ CreatePublication: "ok", GetPublication: "ok", ListPublications: "ok", PullPublications: "ok" });
  });

  it("--db-like answers on both paths the same way (UNKNOWN for a missing row)", async () => {
    server = await startTestServer({ dbLike: true });
    expect(await statusOf(publicationClientV1(server.url).getPublication({ id: "missing" }))).toBe(Code.Unknown);
    expect(await statusOf(server.client.getPublication({ id: "missing" }))).toBe(Code.Unknown);
  });
});
