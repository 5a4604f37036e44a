import { Code } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type PublicationClient, statusOf, type TestServer } from "./testing/test-server.js";

/** One call of each of the eight RPCs, naming `name`, about publication "p" (which exists). */
function everyRpc(client: PublicationClient, name: string) {
  return {
    CreatePublication: () => client.createPublication({ name, publication: { id: "new" } }),
    GetPublication: () => client.getPublication({ name, id: "p" }),
    UpdatePublication: () => client.updatePublication({ name, publication: { id: "p" } }),
    AcknowledgePublication: () => client.acknowledgePublication({ name, id: "p", version: "v", allowAcknowledged: true }),
    ListPublications: () => client.listPublications({ name }),
    PullPublication: () => client.pullPublication({ name, id: "p" }),
    PullPublications: () => client.pullPublications({ name }),
    DeletePublication: () => client.deletePublication({ name, id: "p" }),
  };
}

async function codesOf(calls: Record<string, () => Promise<unknown> | AsyncIterable<unknown>>) {
  const codes: Record<string, Code | "ok"> = {};
  for (const [method, call] of Object.entries(calls)) codes[method] = await statusOf(call());
  return codes;
}

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe("the device name (--device)", () => {
  it("answers NOT_FOUND to every RPC naming another device", async () => {
    t = await startTestServer({ device: "bms-1" });
    await t.client.createPublication({ publication: { id: "p" } });
    const codes = await codesOf(everyRpc(t.client, "bms-2"));
    expect(Object.values(codes)).toEqual(Array(8).fill(Code.NotFound));
    expect((await t.client.getPublication({ id: "p" })).id).toBe("p"); // untouched
  });

  it("serves its own name and the empty name", async () => {
    t = await startTestServer({ device: "bms-1" });
    await t.client.createPublication({ name: "bms-1", publication: { id: "p" } });
    expect((await t.client.getPublication({ name: "", id: "p" })).id).toBe("p");
    for await (const response of t.client.pullPublication({ name: "", id: "p" })) {
      expect(response.changes[0]!.name).toBe(""); // echoed as asked, as the reference does: not filled in
      break;
    }
    for await (const response of t.client.pullPublications({ name: "" })) {
      expect(response.changes[0]!.name).toBe("");
      break;
    }
  });

  it("without a configured device answers any name", async () => {
    t = await startTestServer();
    await t.client.createPublication({ name: "whatever", publication: { id: "p" } });
    expect((await t.client.getPublication({ name: "anything-else", id: "p" })).id).toBe("p");
  });
});

describe("the bearer token (--token)", () => {
  it("answers UNAUTHENTICATED to every RPC without the token or with a wrong one", async () => {
    t = await startTestServer({ token: "s3cret" });
    const without = await codesOf(everyRpc(t.client, ""));
    expect(Object.values(without)).toEqual(Array(8).fill(Code.Unauthenticated));
    const wrong = await codesOf(everyRpc(t.clientWithToken("guess"), ""));
    expect(Object.values(wrong)).toEqual(Array(8).fill(Code.Unauthenticated));
  });

  it("serves every RPC with the token, and keeps /healthz and /debug/stats open", async () => {
    t = await startTestServer({ token: "s3cret" });
    const client = t.clientWithToken("s3cret");
    await client.createPublication({ publication: { id: "p" } });
    const codes = await codesOf(everyRpc(client, ""));
    expect(codes).toEqual({
      CreatePublication: "ok",
      GetPublication: "ok",
      UpdatePublication: "ok",
      AcknowledgePublication: Code.Aborted, // version "v" is not the current one: past auth
      ListPublications: "ok",
      PullPublication: "ok",
      PullPublications: "ok",
      DeletePublication: "ok",
    });
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.url}/debug/stats`)).status).toBe(200);
    expect(t.logs.join("\n")).not.toContain("s3cret");
  });
});
