import { describe, expect, it } from "vitest";
import { problemOfRegistration } from "./registration-problem.js";
import { problemBeforeRegistration } from "./worker-problem.js";

/** Chromium 156's words for a page reached through a certificate warning (the site's CA not installed). */
const CERTIFICATE_ERROR = new DOMException(
  "Failed to register a ServiceWorker for scope ('https://kiosk.test:8080/') with script ('https://kiosk.test:8080/sw.js'): An SSL certificate error occurred when fetching the script.",
  "SecurityError",
);

describe("why a page has no service worker", () => {
  it("before registering: an insecure context (plain http by name) whatever else, then a browser without workers", () => {
    expect(problemBeforeRegistration({ isSecureContext: false, hasServiceWorker: false })?.kind).toBe("insecure-context");
    expect(problemBeforeRegistration({ isSecureContext: false, hasServiceWorker: true })?.kind).toBe("insecure-context");
    expect(problemBeforeRegistration({ isSecureContext: true, hasServiceWorker: false })?.kind).toBe("unsupported");
    expect(problemBeforeRegistration({ isSecureContext: true, hasServiceWorker: true })).toBeUndefined();
  });

  it("a registration refused for the site's certificate is certificate-not-trusted, with the browser's message", () => {
    expect(problemOfRegistration(CERTIFICATE_ERROR, { isSecureContext: true })).toEqual({
      kind: "certificate-not-trusted",
      message: `SecurityError: ${CERTIFICATE_ERROR.message}`,
    });
  });

  it("a SecurityError that says only 'unknown error when fetching the script' is the certificate too (Chromium, now and then); the same words in a TypeError are the network", () => {
    const vague = (name: string) =>
      new DOMException(
        "Failed to register a ServiceWorker for scope ('https://kiosk.test:8080/') with script ('https://kiosk.test:8080/sw.js'): An unknown error occurred when fetching the script.",
        name,
      );
    expect(problemOfRegistration(vague("SecurityError"), { isSecureContext: true }).kind).toBe("certificate-not-trusted");
    const offline = new TypeError(vague("x").message);
    expect(problemOfRegistration(offline, { isSecureContext: true }).kind).toBe("registration-failed");
    // Other security refusals name their cause.
    const otherOrigin = new DOMException(
      "Failed to register a ServiceWorker: The origin of the provided scriptURL ('https://cdn.test') does not match the current origin ('https://kiosk.test:8080').",
      "SecurityError",
    );
    expect(problemOfRegistration(otherOrigin, { isSecureContext: true }).kind).toBe("registration-failed");
  });

  it("a SecurityError in an insecure context is that context; elsewhere, and any other error, a plain failure", () => {
    const insecure = new DOMException("The operation is insecure.", "SecurityError");
    expect(problemOfRegistration(insecure, { isSecureContext: false }).kind).toBe("insecure-context");
    expect(problemOfRegistration(insecure, { isSecureContext: true })).toEqual({
      kind: "registration-failed",
      message: "SecurityError: The operation is insecure.",
    });
    const offline = new TypeError("Failed to register a ServiceWorker: A bad HTTP response code (404) was received when fetching the script.");
    expect(problemOfRegistration(offline, { isSecureContext: true })).toEqual({ kind: "registration-failed", message: `TypeError: ${offline.message}` });
    expect(problemOfRegistration("blocked", { isSecureContext: true })).toEqual({ kind: "registration-failed", message: "blocked" });
  });

  it("keeps a long message short enough for a panel", () => {
    const long = new Error("x".repeat(5_000));
    expect(problemOfRegistration(long, { isSecureContext: true }).message.length).toBeLessThanOrEqual(500);
  });
});
