import { describe, expect, it } from "vitest";
import { describeOfflineAvailability, httpsAddress, offlineAvailability, type PageFacts } from "./offline-availability.js";

const GUIDE = "README.md#https-and-kiosk-tablets";
const CERTIFICATE_MESSAGE =
  "SecurityError: Failed to register a ServiceWorker for scope ('https://kiosk.test:8080/') with script ('https://kiosk.test:8080/sw.js'): An SSL certificate error occurred when fetching the script.";

const secure: PageFacts = { isSecureContext: true, url: "https://kiosk.test:8080/", hasServiceWorker: true, workerProblem: undefined };
/** Chromium on plain http by name: no service worker at all, and the client says why. */
const plainHttp = (url: string): PageFacts => ({
  isSecureContext: false,
  url,
  hasServiceWorker: false,
  workerProblem: { kind: "insecure-context", message: "Not a secure context" },
});

describe("offline availability", () => {
  it("is available on a secure page whose worker registered (or is registering)", () => {
    expect(offlineAvailability(secure)).toEqual({ kind: "available" });
    expect(offlineAvailability({ ...secure, url: "http://localhost:4317/?server=x" })).toEqual({ kind: "available" });
    expect(describeOfflineAvailability({ kind: "available" })).toEqual({ line: undefined, worker: undefined, storage: undefined });
  });

  it("on plain http by name: says so and gives the same address over https, shortly on the screen, in full in the panel; storage's row says why too", () => {
    const availability = offlineAvailability(plainHttp("http://kiosk.test:8080/"));
    expect(availability).toEqual({ kind: "insecure-context", httpsUrl: "https://kiosk.test:8080/" });
    const text = describeOfflineAvailability(availability);
    expect(text.line).toBe(`This page is on plain http, so offline use is off. Open https://kiosk.test:8080/ (see ${GUIDE}).`);
    expect(text.worker).toBe(
      `Off. This page is served over plain http; browsers allow offline use only over https. Open https://kiosk.test:8080/ (see ${GUIDE}).`,
    );
    expect(text.storage).toBe("Not available over plain http: browsers grant it only over https");
    expect(text.worker).not.toMatch(/in this browser/);
  });

  it("is about the context, whatever the worker or the client say: an insecure page is never 'unsupported'", () => {
    for (const facts of [
      { ...plainHttp("http://kiosk.test/"), hasServiceWorker: true },
      { ...plainHttp("http://kiosk.test/"), workerProblem: undefined },
      { ...plainHttp("http://kiosk.test/"), workerProblem: { kind: "registration-failed" as const, message: "x" } },
    ]) {
      expect(offlineAvailability(facts).kind).toBe("insecure-context");
    }
  });

  it("keeps the page's port (the development server's https is on the same port), path, query and fragment; http's default port becomes https's", () => {
    expect(httpsAddress("http://kiosk.test:8080/")).toBe("https://kiosk.test:8080/");
    expect(httpsAddress("http://kiosk.test/")).toBe("https://kiosk.test/");
    expect(httpsAddress("http://kiosk.test:80/lobby")).toBe("https://kiosk.test/lobby");
    expect(httpsAddress("http://kiosk.test:443/")).toBe("https://kiosk.test/");
    expect(httpsAddress("http://192.168.1.20:8080/?server=https://bms.test&ids=a,b#x")).toBe("https://192.168.1.20:8080/?server=https://bms.test&ids=a,b#x");
    expect(httpsAddress("https://kiosk.test/")).toBeUndefined();
    expect(httpsAddress("file:///dashboard/index.html")).toBeUndefined();
    expect(httpsAddress("not a url")).toBeUndefined();
  });

  it("on the screen, the https address without its query (marked …), in the panel whole", () => {
    const text = describeOfflineAvailability(offlineAvailability(plainHttp("http://kiosk.test:8080/?server=http%3A%2F%2Fkiosk.test%3A8700&ids=a")));
    expect(text.line).toContain(`Open https://kiosk.test:8080/… (see ${GUIDE}).`);
    expect(text.worker).toContain("Open https://kiosk.test:8080/?server=http%3A%2F%2Fkiosk.test%3A8700&ids=a (see");
  });

  it("says 'the site's https address' where it cannot tell the page's (an insecure page not on http)", () => {
    const availability = offlineAvailability({ ...plainHttp("https://kiosk.test/"), workerProblem: undefined });
    expect(availability).toEqual({ kind: "insecure-context", httpsUrl: undefined });
    const text = describeOfflineAvailability(availability);
    expect(text.line).toBe(`This page is not a secure context, so offline use is off. Open the site's https address (see ${GUIDE}).`);
    expect(text.worker).toBe(
      `Off. This page is not a secure context; browsers allow offline use only on https pages. Open the site's https address (see ${GUIDE}).`,
    );
    expect(text.line).not.toMatch(/plain http/);
    expect(text.storage).toMatch(/^Not available: this page is not a secure context/);
  });

  it("certificate not trusted: install the site's CA and reload, on the screen and in the panel with the browser's words; storage as the browser says", () => {
    const availability = offlineAvailability({ ...secure, workerProblem: { kind: "certificate-not-trusted", message: CERTIFICATE_MESSAGE } });
    expect(availability).toEqual({ kind: "certificate-not-trusted", message: CERTIFICATE_MESSAGE });
    const text = describeOfflineAvailability(availability);
    expect(text.line).toBe(`This device does not trust the site's certificate, so offline use is off. Install its CA (see ${GUIDE}) and reload.`);
    expect(text.worker).toBe(
      `Refused. This device does not trust the site's certificate (its CA is not installed), so offline use is off. Install the site's CA certificate — see ${GUIDE} — and reload. The browser said: ${CERTIFICATE_MESSAGE}`,
    );
    expect(text.storage).toBeUndefined();
  });

  it("unsupported only where the browser truly lacks service workers on a secure page: the panel says so, the screen does not", () => {
    const availability = offlineAvailability({ ...secure, hasServiceWorker: false, workerProblem: { kind: "unsupported", message: "none" } });
    expect(availability).toEqual({ kind: "unsupported" });
    expect(describeOfflineAvailability(availability)).toEqual({ line: undefined, worker: "Not available in this browser", storage: undefined });
  });

  it("another registration failure: the panel gives the browser's message, the screen stays quiet", () => {
    const availability = offlineAvailability({ ...secure, workerProblem: { kind: "registration-failed", message: "TypeError: Failed to fetch" } });
    expect(availability).toEqual({ kind: "registration-failed", message: "TypeError: Failed to fetch" });
    const text = describeOfflineAvailability(availability);
    expect(text.line).toBeUndefined();
    expect(text.worker).toBe("Registration failed (tried again when the network is back): TypeError: Failed to fetch");
  });
});
