import { describe, expect, it } from "vitest";
import { AuthConfigError, deviceFlowConfigOf } from "./auth-config.js";

const BASE = "https://screens.example/__/scos/config.json";

describe("Smart Core UI config: auth.deviceFlow", () => {
  it("Keycloak style: url, realm and clientId give Keycloak's device and token endpoints", () => {
    expect(deviceFlowConfigOf({ auth: { deviceFlow: true, keycloak: { url: "https://kc.example/", realm: "smart core", clientId: "dashboard" } } }, BASE)).toEqual({
      clientId: "dashboard",
      deviceUrl: "https://kc.example/realms/smart%20core/protocol/openid-connect/auth/device",
      tokenUrl: "https://kc.example/realms/smart%20core/protocol/openid-connect/token",
    });
  });

  it("explicit endpoints, relative ones resolved against the document's address", () => {
    expect(deviceFlowConfigOf({ auth: { deviceFlow: true, clientId: "c", deviceUrl: "/idp/device", tokenUrl: "https://idp.example/token", scope: "openid" } }, BASE)).toEqual({
      clientId: "c",
      deviceUrl: "https://screens.example/idp/device",
      tokenUrl: "https://idp.example/token",
      scope: "openid",
    });
    expect(deviceFlowConfigOf({ auth: { deviceFlow: true, keycloak: { url: "/", realm: "r", clientId: "c" } } }, BASE)?.tokenUrl).toBe(
      "https://screens.example/realms/r/protocol/openid-connect/token",
    );
  });

  it("no auth section, or deviceFlow not true: no device sign-in", () => {
    expect(deviceFlowConfigOf({}, BASE)).toBeUndefined();
    expect(deviceFlowConfigOf({ auth: { deviceFlow: false, keycloak: {} } }, BASE)).toBeUndefined();
    expect(deviceFlowConfigOf({ auth: { providers: ["localAuth"] } }, BASE)).toBeUndefined();
    expect(deviceFlowConfigOf("not an object", BASE)).toBeUndefined();
  });

  it.each([
    [{ auth: "yes" }, "auth must be an object"],
    [{ auth: { deviceFlow: true } }, "auth.clientId must be a non-empty string"],
    [{ auth: { deviceFlow: true, keycloak: { url: "https://kc", clientId: "c" } } }, "auth.keycloak.realm must be a non-empty string"],
    [{ auth: { deviceFlow: true, keycloak: { url: "javascript:alert(1)", realm: "r", clientId: "c" } } }, "auth.keycloak.url must be an http(s) URL"],
    [{ auth: { deviceFlow: true, clientId: "c", deviceUrl: "https://d", tokenUrl: 7 } }, "auth.tokenUrl must be a non-empty string"],
    [{ auth: { deviceFlow: true, keycloak: [] } }, "auth.keycloak must be an object"],
  ])("asks for a device sign-in it does not describe: %j → AuthConfigError", (document, message) => {
    expect(() => deviceFlowConfigOf(document, BASE)).toThrow(new AuthConfigError(message));
  });
});
