import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium, expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO_PUBLICATION_IDS } from "../src/dashboard/titles.js";
import { CHROMIUM_ARGS, requireChromium } from "./support/chromium.js";
import { DevServer } from "./support/dev-server.js";
import { StaticCopy } from "./support/static-server.js";
import { card, dashboardUrl, publishDemoBuilding } from "./dashboard-support/demo-data.js";
import { expectUpstreamProtocol } from "./dashboard-support/upstream-protocol.js";

/**
 * A kiosk tablet that reaches the dashboard by name over plain http
 * (http://kiosk.test:<port>/) is not a secure context: the browser has a
 * service worker and persistent storage but gives neither to the page. The
 * screen says so in one calm line, with the https address to open instead,
 * and the diagnostics panel says it in its rows — never "Not available in
 * this browser". The same build opened as http://localhost:<port>/ (a
 * secure context) says nothing of the kind. The built app is served from a
 * private copy on 127.0.0.1; Chromium maps kiosk.test there.
 *
 * And over https with a certificate the device does not trust (its CA not
 * installed), reached the way a technician does — "Advanced", then
 * "Proceed" on Chromium's warning: the page is a secure context, but the
 * browser refuses the worker; the screen and the panel say to install the
 * site's CA and reload.
 */
const DIST = fileURLToPath(new URL("../dist", import.meta.url));
const NAME = "kiosk.test";
const GUIDE = "README.md#https-and-kiosk-tablets";
const TABLET = { width: 1280, height: 800 };

let browser: Browser;
let site: StaticCopy;
let server: DevServer;

test.beforeAll(async () => {
  server = await DevServer.start();
  await publishDemoBuilding(server.url);
  site = await StaticCopy.of(DIST, { host: "127.0.0.1" });
  browser = await chromium.launch({
    executablePath: requireChromium(),
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${NAME} 127.0.0.1`],
  });
});

test.afterAll(async () => {
  await browser?.close();
  await site?.dispose();
  await server?.dispose();
});

async function open(origin: string): Promise<Page> {
  const context = await browser.newContext({ viewport: TABLET, locale: "en-GB" });
  const page = await context.newPage();
  await page.goto(origin + dashboardUrl(server.url));
  for (const id of DEMO_PUBLICATION_IDS) await expect(card(page, id)).toHaveAttribute("data-state", "live");
  return page;
}

const note = (page: Page) => page.getByTestId("offline-availability");
const diag = (page: Page, name: string) => page.getByRole("dialog", { name: "Diagnostics" }).locator(`[data-diag="${name}"]`);

test("plain http by name: the screen says so in one line with the https address, the diagnostics rows give the true reason", async () => {
  const origin = `http://${NAME}:${site.port}`;
  const page = await open(origin);
  try {
    expect(await page.evaluate(() => ({ secure: isSecureContext, worker: "serviceWorker" in navigator, storage: "storage" in navigator }))).toEqual({
      secure: false,
      worker: false,
      storage: false,
    });
    const https = `https://${NAME}:${site.port}/`;

    await expect(note(page)).toBeVisible();
    await expect(note(page)).toHaveAttribute("data-availability", "insecure-context");
    await expect(note(page)).toHaveText(`This page is on plain http, so offline use is off. Open ${https}… (see ${GUIDE}).`);
    // One line at 1280×800, between the cards and the footer: it covers nothing.
    const box = await page.evaluate(() => {
      const rect = (el: Element) => el.getBoundingClientRect();
      const line = document.querySelector('[data-testid="offline-availability"]')!;
      const lineHeight = parseFloat(getComputedStyle(line).lineHeight) || parseFloat(getComputedStyle(line).fontSize) * 1.2;
      return {
        lines: Math.round(rect(line).height / lineHeight),
        top: rect(line).top,
        bottom: rect(line).bottom,
        mainBottom: rect(document.querySelector("main")!).bottom,
        cardsBottom: Math.max(...[...document.querySelectorAll(".card:not(.off-page)")].map((card) => rect(card).bottom)),
        footerTop: rect(document.querySelector("body > footer")!).top,
        scrolls: document.documentElement.scrollHeight > innerHeight,
      };
    });
    expect(box.lines).toBe(1);
    expect(box.top).toBeGreaterThanOrEqual(box.mainBottom - 0.5);
    expect(box.top).toBeGreaterThanOrEqual(box.cardsBottom - 0.5);
    expect(box.bottom).toBeLessThanOrEqual(box.footerTop + 0.5);
    expect(box.scrolls).toBe(false);
    const shot = test.info().outputPath("plain-http-1280x800.png");
    await page.screenshot({ path: shot });
    await test.info().attach("plain http at 1280×800", { path: shot, contentType: "image/png" });

    await page.keyboard.press("d");
    await expect(diag(page, "worker-state")).toHaveAttribute("data-availability", "insecure-context");
    // The panel has the whole https address, query and all: what to open instead.
    const query = new URL(page.url()).search;
    await expect(diag(page, "worker-state")).toHaveText(
      `Off. This page is served over plain http; browsers allow offline use only over https. Open ${https}${query} (see ${GUIDE}).`,
    );
    await expect(diag(page, "persisted")).toHaveText("Not available over plain http: browsers grant it only over https");
    await expect(diag(page, "host-mode")).toHaveText(/^(Leader|Follower) tab/);
    expect(await page.evaluate(() => window.pubcacheApp.client.diagnostics.workerProblem?.kind)).toBe("insecure-context");

    // The host here is this tab (a leader by lease): its own Resource Timing gives the protocol.
    await expectUpstreamProtocol(page, server.url, "http/1.1");
  } finally {
    await page.context().close();
  }
});

test("the same build at http://localhost (a secure context) has no such line, and its worker registers", async () => {
  const page = await open(`http://localhost:${site.port}`);
  try {
    expect(await page.evaluate(() => isSecureContext)).toBe(true);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await expect(note(page)).toBeHidden();
    expect(await page.evaluate(() => window.pubcacheApp.client.diagnostics.workerProblem)).toBeUndefined();
    await page.keyboard.press("d");
    await expect(diag(page, "worker-state")).toHaveAttribute("data-availability", "available");
    await expect(diag(page, "worker-state")).toHaveText(/^(activated|activating) \(\/sw\.js\)$/);
    await expect(diag(page, "persisted")).toHaveText(/^(Granted|Not granted)/);
  } finally {
    await page.context().close();
  }
});

/** `dist/` over https on 127.0.0.1 with a self-signed certificate for kiosk.test that no browser trusts. */
async function serveUntrusted(): Promise<{ port: number; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "pubcache-untrusted-"));
  await promisify(execFile)("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
    "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    "-subj", `/CN=${NAME}`, "-addext", `subjectAltName=DNS:${NAME}`,
  ]);
  const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".webmanifest": "application/manifest+json" };
  const server: Server = createServer({ key: await readFile(join(dir, "key.pem")), cert: await readFile(join(dir, "cert.pem")) }, (req, res) => {
    const path = normalize(new URL(req.url ?? "/", "https://x").pathname).replace(/^(\.\.[/\\])+/, "");
    const file = join(DIST, path === "/" ? "index.html" : path);
    readFile(file).then(
      (body) => {
        res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
        res.end(body);
      },
      () => {
        res.writeHead(404);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    port: address.port,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

test("https with a certificate the device does not trust, passed with Advanced → Proceed: the browser refuses the worker; the screen says to install the site's CA and reload", async () => {
  const untrusted = await serveUntrusted();
  const context = await browser.newContext({ viewport: TABLET, locale: "en-GB" });
  try {
    const page = await context.newPage();
    const url = `https://${NAME}:${untrusted.port}${dashboardUrl(server.url)}`;
    await expect(page.goto(url)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
    // Chromium's warning page: what a technician clicks on a tablet without the CA.
    await page.click("#details-button");
    await page.click("#proceed-link");
    await page.waitForURL(url);
    for (const id of DEMO_PUBLICATION_IDS) await expect(card(page, id)).toHaveAttribute("data-state", "live");
    expect(await page.evaluate(() => ({ secure: isSecureContext, worker: "serviceWorker" in navigator }))).toEqual({ secure: true, worker: true });
    await expect
      .poll(() => page.evaluate(() => window.pubcacheApp.client.diagnostics.workerProblem))
      // Chromium says "An SSL certificate error occurred…", or now and then "An unknown error occurred…" (still a SecurityError).
      .toEqual({ kind: "certificate-not-trusted", message: expect.stringMatching(/^SecurityError: .* when fetching the script\.$/) as unknown });

    const { message } = (await page.evaluate(() => window.pubcacheApp.client.diagnostics.workerProblem))!;
    test.info().annotations.push({ type: "the browser's registration error", description: message });
    await expect(note(page)).toHaveAttribute("data-availability", "certificate-not-trusted");
    await expect(note(page)).toHaveText(`This device does not trust the site's certificate, so offline use is off. Install its CA (see ${GUIDE}) and reload.`);
    await page.keyboard.press("d");
    await expect(diag(page, "worker-state")).toHaveAttribute("data-availability", "certificate-not-trusted");
    await expect(diag(page, "worker-state")).toHaveText(
      new RegExp(
        `^Refused\\. This device does not trust the site's certificate \\(its CA is not installed\\), so offline use is off\\. Install the site's CA certificate — see ${GUIDE} — and reload\\. The browser said: SecurityError: .* when fetching the script\\.$`,
      ),
    );
    // A secure context: the browser answers for persistent storage itself.
    await expect(diag(page, "persisted")).toHaveText(/^(Granted|Not granted)/);
  } finally {
    await context.close();
    await untrusted.close();
  }
});
