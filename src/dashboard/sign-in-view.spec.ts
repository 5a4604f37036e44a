import { describe, expect, it } from "vitest";
import type { AuthState } from "../entries/auth.js";
import { signInView } from "./sign-in-view.js";
import { createTimeFormat } from "./time-format.js";

const NOW = Date.UTC(2026, 5, 1, 9, 0);
const time = createTimeFormat("en-GB", "UTC");
const code: AuthState = {
  kind: "waiting-for-user",
  userCode: "WDJB-MJHT",
  verificationUri: "https://idp.example/device",
  verificationUriComplete: "https://idp.example/device?user_code=WDJB-MJHT",
  expiresAt: NOW + 10 * 60_000,
};

describe("the sign-in panel's words", () => {
  it("waiting for a person: the address, the code, a QR of the complete address, until when", () => {
    expect(signInView(code, [], NOW, time)).toEqual({
      kind: "code",
      title: "Sign in this screen",
      userCode: "WDJB-MJHT",
      verificationUri: "https://idp.example/device",
      qrText: "https://idp.example/device?user_code=WDJB-MJHT",
      validity: "This code works until 09:10; a new one appears by itself.",
      note: undefined,
    });
  });

  it("after a denial or an expiry the new code says why it is new", () => {
    const denied = { ...code, problem: { code: "access_denied", message: "", at: NOW } };
    expect(signInView(denied, [], NOW, time)).toMatchObject({ note: "The last sign-in was refused." });
    const expired = { ...code, problem: { code: "expired_token", message: "", at: NOW } };
    expect(signInView(expired, [], NOW, time)).toMatchObject({ note: "The last code expired before anyone used it." });
  });

  it("getting a code, calmly, with a countdown when the service is unreachable", () => {
    expect(signInView({ kind: "signing-in" }, [], NOW, time)).toMatchObject({ kind: "getting-code", detail: "Getting a sign-in code…" });
    const failing: AuthState = { kind: "signing-in", problem: { code: "network", message: "x", at: NOW }, nextAttemptAt: NOW + 12_500 };
    expect(signInView(failing, [], NOW, time)).toMatchObject({ detail: "The sign-in service cannot be reached. Trying again in 13 s." });
  });

  it("PERMISSION_DENIED while signed in (or with a fixed token) is its own message, naming what is refused", () => {
    const signedIn: AuthState = { kind: "signed-in", expiresAt: NOW + 60_000, refreshAt: NOW + 45_000 };
    expect(signInView(signedIn, ["Site", "Alarm thresholds", "Floor plan"], NOW, time)).toMatchObject({
      kind: "not-allowed",
      title: "This screen is signed in but not allowed to see Site, Alarm thresholds and Floor plan.",
    });
    expect(signInView(undefined, ["Site"], NOW, time)).toMatchObject({ title: "This screen is signed in but not allowed to see Site." });
  });

  it("says nothing while starting, signed in with access, or signed out; a code wins over a refusal", () => {
    expect(signInView({ kind: "starting" }, [], NOW, time).kind).toBe("hidden");
    expect(signInView({ kind: "signed-in", expiresAt: NOW, refreshAt: NOW }, [], NOW, time).kind).toBe("hidden");
    expect(signInView({ kind: "signed-out" }, ["Site"], NOW, time).kind).toBe("hidden");
    expect(signInView(undefined, [], NOW, time).kind).toBe("hidden");
    expect(signInView(code, ["Site"], NOW, time).kind).toBe("code");
  });
});
