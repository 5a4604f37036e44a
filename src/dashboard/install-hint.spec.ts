// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { createInstallHint, needsInstallHint } from "./install-hint.js";

const UA = {
  iPadSafari:
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  iPhoneSafari:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  // iPadOS asks for desktop sites by default: it says Macintosh.
  iPadDesktopMode: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  chromeOnIPad:
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
  chromeDesktop: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
  headlessChrome: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
  edge: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
  androidChrome: "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
  androidWebView: "Mozilla/5.0 (Linux; Android 14; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.0.0 Mobile Safari/537.36",
  firefoxDesktop: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  webkitGtk: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
};

const inBrowser = (userAgent: string) => ({ userAgent, standalone: undefined, installedDisplayMode: false });

describe("install hint", () => {
  it("shows in Safari on iPad, iPhone and the Mac, and in other iOS browsers (all WebKit)", () => {
    for (const ua of [UA.iPadSafari, UA.iPhoneSafari, UA.iPadDesktopMode, UA.chromeOnIPad, UA.webkitGtk]) {
      expect(needsInstallHint(inBrowser(ua)), ua).toBe(true);
    }
  });

  it("never shows in Chromium browsers or Firefox, whatever their user agents borrow", () => {
    for (const ua of [UA.chromeDesktop, UA.headlessChrome, UA.edge, UA.androidChrome, UA.androidWebView, UA.firefoxDesktop]) {
      expect(needsInstallHint(inBrowser(ua)), ua).toBe(false);
    }
  });

  it("never shows in an app started from the Home Screen (exempt from the 7-day wipe)", () => {
    expect(needsInstallHint({ userAgent: UA.iPadSafari, standalone: true, installedDisplayMode: false })).toBe(false);
    expect(needsInstallHint({ userAgent: UA.iPadSafari, standalone: false, installedDisplayMode: true })).toBe(false);
    expect(needsInstallHint({ userAgent: UA.iPadSafari, standalone: false, installedDisplayMode: false })).toBe(true);
  });

  describe("the element", () => {
    afterEach(() => localStorage.clear());

    it("is a short note with a Dismiss button; dismissed, it goes and stays away", () => {
      const hint = createInstallHint(inBrowser(UA.iPadSafari));
      expect(hint?.textContent).toMatch(/Add this dashboard to the Home Screen/);
      document.body.append(hint!);
      hint!.querySelector("button")!.click();
      expect(hint!.isConnected).toBe(false);
      expect(createInstallHint(inBrowser(UA.iPadSafari))).toBeUndefined();
    });

    it("is not made where no hint is needed", () => {
      expect(createInstallHint(inBrowser(UA.chromeDesktop))).toBeUndefined();
    });
  });
});
