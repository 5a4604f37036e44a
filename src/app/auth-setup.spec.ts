import { describe, expect, it } from "vitest";
import { AuthConfigError } from "../entries/auth.js";
import { authSourceOf, loadDeviceFlowConfig, type FetchDocument } from "./auth-setup.js";

const ORIGIN = "http://localhost:8080";
const DOC = { auth: { deviceFlow: true, keycloak: { url: "http://127.0.0.1:8700", realm: "smartcore", clientId: "dashboard" } } };

describe("where the app's sign-in comes from", () => {
  it("by default Smart Core's config document on this origin; authConfig names another", () => {
    expect(authSourceOf("?server=x", ORIGIN)).toEqual({ kind: "document", url: "http://localhost:8080/__/scos/config.json" });
    expect(authSourceOf("?authConfig=/demo/config.json", ORIGIN)).toEqual({ kind: "document", url: "http://localhost:8080/demo/config.json" });
  });

  it("a fixed test token or auth=off: no sign-in at all", () => {
    expect(authSourceOf("?token=t", ORIGIN)).toEqual({ kind: "none" });
    expect(authSourceOf("?auth=off", ORIGIN)).toEqual({ kind: "none" });
  });

  it("auth=device with explicit or Keycloak endpoints (tests)", () => {
    expect(authSourceOf("?auth=device&clientId=c&deviceUrl=http://idp/d&tokenUrl=http://idp/t", ORIGIN)).toEqual({
      kind: "endpoints",
      endpoints: { clientId: "c", deviceUrl: "http://idp/d", tokenUrl: "http://idp/t" },
    });
    expect(authSourceOf("?auth=device&keycloakUrl=http://kc&realm=r&clientId=c", ORIGIN)).toMatchObject({
      endpoints: { tokenUrl: "http://kc/realms/r/protocol/openid-connect/token" },
    });
    expect(() => authSourceOf("?auth=device&clientId=c", ORIGIN)).toThrow(AuthConfigError);
  });
});

describe("loading the config document", () => {
  const noWait = async () => {};
  const answers = (...list: Array<{ status: number; text: string } | "offline">): FetchDocument & { calls: number } => {
    const fetch = Object.assign(
      async () => {
        const next = list[Math.min(fetch.calls++, list.length - 1)]!;
        if (next === "offline") throw new TypeError("Failed to fetch");
        return next;
      },
      { calls: 0 },
    );
    return fetch;
  };
  const source = { kind: "document", url: "http://localhost:8080/__/scos/config.json" } as const;

  it("reads auth.deviceFlow from it", async () => {
    const config = await loadDeviceFlowConfig(source, answers({ status: 200, text: JSON.stringify(DOC) }), noWait, () => {});
    expect(config).toEqual({
      clientId: "dashboard",
      deviceUrl: "http://127.0.0.1:8700/realms/smartcore/protocol/openid-connect/auth/device",
      tokenUrl: "http://127.0.0.1:8700/realms/smartcore/protocol/openid-connect/token",
    });
  });

  it("offline or a 5xx: asks again with growing waits until it answers", async () => {
    const waits: number[] = [];
    const fetch = answers("offline", "offline", { status: 502, text: "" }, { status: 200, text: JSON.stringify(DOC) });
    const config = await loadDeviceFlowConfig(source, fetch, async (ms) => void waits.push(ms), () => {});
    expect(config?.clientId).toBe("dashboard");
    expect(waits).toEqual([5_000, 10_000, 20_000]);
  });

  it("missing, not JSON, without auth, or a broken auth section: no sign-in (with a warning for the broken ones)", async () => {
    const warnings: string[] = [];
    const warn = (message: string) => void warnings.push(message);
    expect(await loadDeviceFlowConfig(source, answers({ status: 404, text: "" }), noWait, warn)).toBeUndefined();
    expect(await loadDeviceFlowConfig(source, answers({ status: 200, text: "<html>" }), noWait, warn)).toBeUndefined();
    expect(await loadDeviceFlowConfig(source, answers({ status: 200, text: "{}" }), noWait, warn)).toBeUndefined();
    expect(await loadDeviceFlowConfig(source, answers({ status: 200, text: '{"auth":{"deviceFlow":true}}' }), noWait, warn)).toBeUndefined();
    expect(warnings).toEqual([
      "http://localhost:8080/__/scos/config.json is not JSON: no sign-in",
      "http://localhost:8080/__/scos/config.json: auth.clientId must be a non-empty string: no sign-in",
    ]);
  });
});
