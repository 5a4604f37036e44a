// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { createOfflineNote } from "./offline-note.js";

describe("offline note", () => {
  it("is hidden while offline use is available, and for reasons the screen need not show", () => {
    const note = createOfflineNote();
    expect(note.element.dataset.testid).toBe("offline-availability");
    expect(note.element.hidden).toBe(true);
    note.show({ kind: "available" });
    expect(note.element.hidden).toBe(true);
    note.show({ kind: "registration-failed", message: "TypeError: Failed to fetch" });
    expect(note.element.hidden).toBe(true);
    note.show({ kind: "unsupported" });
    expect(note.element.hidden).toBe(true);
  });

  it("shows one line for plain http and for an untrusted certificate, says which in data-availability, and goes when it is fixed", () => {
    const note = createOfflineNote();
    note.show({ kind: "insecure-context", httpsUrl: "https://kiosk.test:8080/?server=x" });
    expect(note.element.hidden).toBe(false);
    expect(note.element.dataset.availability).toBe("insecure-context");
    expect(note.element.textContent).toBe("This page is on plain http, so offline use is off. Open https://kiosk.test:8080/… (see README.md#https-and-kiosk-tablets).");
    note.show({ kind: "certificate-not-trusted", message: "SecurityError: …" });
    expect(note.element.dataset.availability).toBe("certificate-not-trusted");
    expect(note.element.textContent).toMatch(/^This device does not trust the site's certificate/);
    note.show({ kind: "available" });
    expect(note.element.hidden).toBe(true);
  });

  it("touches the page only when the line changes (it is asked every second)", () => {
    const note = createOfflineNote();
    note.show({ kind: "insecure-context", httpsUrl: "https://kiosk.test/" });
    const text = note.element.firstChild;
    note.show({ kind: "insecure-context", httpsUrl: "https://kiosk.test/" });
    expect(note.element.firstChild).toBe(text);
  });
});
