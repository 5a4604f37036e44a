import { describe, expect, it } from "vitest";
import { credentialIdentity } from "./credential-identity.js";

const jwt = (claims: Record<string, unknown>) => `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2ln`;

describe("credential identity", () => {
  it("a JWT: the same sign-in renewed is the same identity, whatever its times and token id", () => {
    const first = jwt({ iss: "idp", sub: "viewer", aud: "api", roles: ["viewer"], iat: 1, exp: 301, jti: "a" });
    const renewed = jwt({ jti: "b", exp: 602, iat: 302, roles: ["viewer"], aud: "api", sub: "viewer", iss: "idp" });
    expect(credentialIdentity(renewed)).toBe(credentialIdentity(first));
  });

  it("a JWT of another account, or with other roles, is another identity", () => {
    const viewer = credentialIdentity(jwt({ iss: "idp", sub: "viewer", roles: ["viewer"] }));
    expect(credentialIdentity(jwt({ iss: "idp", sub: "admin", roles: ["viewer"] }))).not.toBe(viewer);
    expect(credentialIdentity(jwt({ iss: "idp", sub: "viewer", roles: ["signage"] }))).not.toBe(viewer);
  });

  it("an opaque token (or a malformed JWT) stands for itself", () => {
    expect(credentialIdentity("tok-1")).not.toBe(credentialIdentity("tok-2"));
    expect(credentialIdentity("a.!!!.c")).toBe("token:a.!!!.c");
    expect(credentialIdentity(`a.${Buffer.from("[1]").toString("base64url")}.c`)).not.toBe(credentialIdentity(`b.${Buffer.from("[1]").toString("base64url")}.c`));
  });
});
