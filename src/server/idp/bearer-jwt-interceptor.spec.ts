import { Code, ConnectError } from "@connectrpc/connect";
import { decodeJwt, generateKeyPair, SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { manualClock, startTestServer, statusOf, type TestServer } from "../testing/test-server.js";
import { Publication_Audience_Receipt as Receipt } from "../../gen/smartcore/traits/publication_pb.js";
import { isReadMethod } from "./bearer-jwt-interceptor.js";
import { accessTokenOf, basicAuth, endpointsOf, passwordGrant, postForm } from "./testing/oauth-requests.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function start(more: Parameters<typeof startTestServer>[0] = {}) {
  const clock = manualClock();
  t = await startTestServer({ auth: { accessTtlS: 60 }, clock, ...more });
  return { t, clock };
}

/** How a call ends: "ok", or its code and message. */
async function outcome(call: Promise<unknown>): Promise<"ok" | { code: Code; message: string }> {
  try {
    await call;
    return "ok";
  } catch (err) {
    const e = ConnectError.from(err);
    return { code: e.code, message: e.rawMessage };
  }
}

describe("the publication API with auth on", () => {
  it("serves every RPC kind to a valid token (a person's or a machine's)", async () => {
    const { t } = await start();
    const person = t.clientWithToken(accessTokenOf(await passwordGrant(t.url)));
    await person.createPublication({ publication: { id: "p" } });
    expect((await person.getPublication({ id: "p" })).id).toBe("p");
    expect(await statusOf(person.pullPublication({ id: "p" }))).toBe("ok");
    const machineAnswer = await postForm(endpointsOf(t.url).token, { grant_type: "client_credentials" }, basicAuth("signage-server", "signage-secret"));
    const machine = t.clientWithToken(accessTokenOf(machineAnswer));
    expect((await machine.listPublications({})).publications.map((p) => p.id)).toEqual(["p"]);
  });

  it("UNAUTHENTICATED 'missing bearer token' without one, for unary and streaming calls", async () => {
    const { t } = await start();
    expect(await outcome(t.client.getPublication({ id: "p" }))).toEqual({ code: Code.Unauthenticated, message: "missing bearer token" });
    expect(await statusOf(t.client.pullPublications({}))).toBe(Code.Unauthenticated);
  });

  it("UNAUTHENTICATED 'expired bearer token' from exp on (the server's injected clock), valid until then", async () => {
    const { t, clock } = await start();
    const token = accessTokenOf(await passwordGrant(t.url));
    const client = t.clientWithToken(token);
    clock.advance(59_999);
    expect(await outcome(client.listPublications({}))).toBe("ok");
    clock.advance(1);
    const expired = await outcome(client.listPublications({}));
    expect(expired).toEqual({ code: Code.Unauthenticated, message: "expired bearer token" });
  });

  it("UNAUTHENTICATED 'invalid bearer token' for another key's signature, a tampered payload, garbage, a non-Bearer scheme", async () => {
    const { t, clock } = await start();
    const genuine = accessTokenOf(await passwordGrant(t.url));
    const foreignKey = await generateKeyPair("ES256");
    const nowS = clock.now() / 1000;
    const forged = await new SignJWT({ azp: "dashboard", roles: ["admin"], scope: "" })
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt" })
      .setIssuer("pubcache-dev/realms/smartcore")
      .setAudience("smartcore-publications")
      .setSubject("admin")
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + 60)
      .sign(foreignKey.privateKey);
    const [header, payload, signature] = genuine.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    const tampered = [header, Buffer.from(JSON.stringify({ ...claims, sub: "root" })).toString("base64url"), signature].join(".");

    for (const token of [forged, tampered, "not-a-jwt", `${genuine}x`]) {
      const result = await outcome(t.clientWithToken(token).getPublication({ id: "p" }));
      expect(result).toEqual({ code: Code.Unauthenticated, message: "invalid bearer token" });
    }
    const basic = await outcome(
      t.client.getPublication({ id: "p" }, { headers: { authorization: basicAuth("admin", "admin").authorization } }),
    );
    expect(basic).toEqual({ code: Code.Unauthenticated, message: "invalid bearer token" });
    // A message never echoes the token.
    expect(JSON.stringify(await outcome(t.clientWithToken(forged).getPublication({ id: "p" })))).not.toContain(forged.slice(-20));
  });

  it("a token of a restarted server (new key) is invalid: restarting signs everyone out", async () => {
    const { t: first } = await start();
    const token = accessTokenOf(await passwordGrant(first.url));
    t = await first.restart();
    expect(await outcome(t.clientWithToken(token).listPublications({}))).toEqual({ code: Code.Unauthenticated, message: "invalid bearer token" });
  });

  it("PERMISSION_DENIED for a valid token without an allowed role (user 'denied'), on every RPC kind", async () => {
    const { t } = await start();
    const denied = t.clientWithToken(accessTokenOf(await passwordGrant(t.url, "denied", "denied")));
    const result = await outcome(denied.listPublications({}));
    expect(result).toMatchObject({ code: Code.PermissionDenied });
    expect((result as { message: string }).message).toContain('"denied" may not use the publication API');
    expect(await statusOf(denied.pullPublication({ id: "p" }))).toBe(Code.PermissionDenied);
    expect(await statusOf(denied.createPublication({ publication: { id: "x" } }))).toBe(Code.PermissionDenied);
  });

  it("a read-only account (user 'viewer') may Get, List and Pull, but not create, update, delete or acknowledge", async () => {
    const { t } = await start();
    const admin = t.clientWithToken(accessTokenOf(await passwordGrant(t.url)));
    const created = await admin.createPublication({ publication: { id: "p", audience: { name: "lobby" } } });
    const viewerToken = accessTokenOf(await passwordGrant(t.url, "viewer", "viewer"));
    expect(decodeJwt(viewerToken)).toMatchObject({ sub: "viewer", roles: ["viewer"] });
    const viewer = t.clientWithToken(viewerToken);

    expect((await viewer.getPublication({ id: "p" })).version).toBe(created.version);
    expect((await viewer.listPublications({})).publications.map((p) => p.id)).toEqual(["p"]);
    expect(await statusOf(viewer.pullPublication({ id: "p" }))).toBe("ok");
    expect(await statusOf(viewer.pullPublications({}))).toBe("ok");

    const ack = await outcome(viewer.acknowledgePublication({ id: "p", version: created.version, receipt: Receipt.ACCEPTED }));
    expect(ack).toEqual({
      code: Code.PermissionDenied,
      message: '"viewer" may only read publications, not call AcknowledgePublication (needs one of the roles admin, signage)',
    });
    expect(await statusOf(viewer.createPublication({ publication: { id: "x" } }))).toBe(Code.PermissionDenied);
    expect(await statusOf(viewer.updatePublication({ publication: { id: "p" } }))).toBe(Code.PermissionDenied);
    expect(await statusOf(viewer.deletePublication({ id: "p" }))).toBe(Code.PermissionDenied);
    expect((await admin.getPublication({ id: "p" })).audience?.receipt).toBe(Receipt.NO_SIGNAL); // nothing was written

    // The accounts that could write still can, receipts included.
    expect((await admin.acknowledgePublication({ id: "p", version: created.version, receipt: Receipt.ACCEPTED })).audience?.receipt).toBe(Receipt.ACCEPTED);
    const machineAnswer = await postForm(endpointsOf(t.url).token, { grant_type: "client_credentials" }, basicAuth("signage-server", "signage-secret"));
    const machine = t.clientWithToken(accessTokenOf(machineAnswer));
    expect(await statusOf(machine.acknowledgePublication({ id: "p", version: created.version, receipt: Receipt.ACCEPTED, allowAcknowledged: true }))).toBe("ok");
    expect(t.logs.some((line) => line.startsWith('AcknowledgePublication id="p" outcome=permission_denied'))).toBe(true);
  });

  it("readOnlyRoles decides who may only read; reads are the methods named Get*, List*, Pull*, Describe*", async () => {
    const { t } = await start({ auth: { readOnlyRoles: ["admin"], allowedRoles: ["signage"] } });
    const admin = t.clientWithToken(accessTokenOf(await passwordGrant(t.url)));
    expect(await statusOf(admin.listPublications({}))).toBe("ok");
    expect(await statusOf(admin.createPublication({ publication: { id: "x" } }))).toBe(Code.PermissionDenied);
    expect(["GetPublication", "ListPublications", "PullPublication", "PullPublications", "DescribePublication"].every(isReadMethod)).toBe(true);
    expect(["CreatePublication", "UpdatePublication", "DeletePublication", "AcknowledgePublication"].some(isReadMethod)).toBe(false);
  });

  it("allowedRoles decides who is let in", async () => {
    const { t } = await start({ auth: { allowedRoles: ["signage"] } });
    const admin = t.clientWithToken(accessTokenOf(await passwordGrant(t.url)));
    expect(await statusOf(admin.listPublications({}))).toBe(Code.PermissionDenied);
  });

  it("the log lines of refused calls hold no token", async () => {
    const { t } = await start();
    const token = accessTokenOf(await passwordGrant(t.url));
    await statusOf(t.clientWithToken(`${token}x`).listPublications({}));
    expect(t.logs.some((line) => line.startsWith("ListPublications outcome=unauthenticated"))).toBe(true);
    expect(t.logs.join("\n")).not.toContain(token.slice(-20));
  });
});
