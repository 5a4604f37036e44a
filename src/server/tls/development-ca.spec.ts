import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { manualClock } from "../testing/test-server.js";
import { certificateFingerprint, developmentCaFiles, ensureDevelopmentCertificates } from "./development-ca.js";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "dev-ca-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const DAY = 24 * 60 * 60 * 1000;

describe("the development CA of a data directory", () => {
  it("makes a CA and a server certificate for every name, which Node's own X.509 code accepts as a chain", async () => {
    const clock = manualClock();
    const made = await ensureDevelopmentCertificates(dataDir, ["localhost", "127.0.0.1", "::1", "Kiosk.Test", "10.1.2.3"], clock);
    expect(made.changes).toEqual(["created the CA", "issued a server certificate"]);

    const ca = new X509Certificate(await readFile(made.files.caCertPath));
    const [leafPem] = made.certChainPem.split(/(?<=-----END CERTIFICATE-----)/);
    const leaf = new X509Certificate(leafPem!);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkHost("kiosk.test")).toBe("kiosk.test");
    expect(leaf.checkHost("localhost")).toBe("localhost");
    expect(leaf.checkHost("other.test")).toBeUndefined();
    expect(leaf.checkIP("10.1.2.3")).toBe("10.1.2.3");
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(leaf.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]); // serverAuth: iOS and Chromium require it
    expect(Date.parse(leaf.validTo) - clock.now()).toBeLessThanOrEqual(398 * DAY); // Apple's limit
    expect(made.caFingerprint).toBe(ca.fingerprint256);
    expect(certificateFingerprint(made.caPem)).toBe(ca.fingerprint256);
  });

  it("keeps keys private to the owner and never puts a key in the CA file", async () => {
    const made = await ensureDevelopmentCertificates(dataDir, ["localhost"], manualClock());
    const files = developmentCaFiles(dataDir);
    expect((await stat(files.caKeyPath)).mode & 0o777).toBe(0o600);
    expect((await stat(files.serverKeyPath)).mode & 0o777).toBe(0o600);
    expect(await readFile(files.caCertPath, "utf8")).not.toContain("PRIVATE KEY");
    expect(made.caPem).not.toContain("PRIVATE KEY");
  });

  it("reuses the CA and certificate on the next start, so a device trusts it once", async () => {
    const clock = manualClock();
    const first = await ensureDevelopmentCertificates(dataDir, ["localhost", "kiosk.test"], clock);
    clock.advance(10 * DAY);
    const second = await ensureDevelopmentCertificates(dataDir, ["kiosk.test"], clock);
    expect(second.changes).toEqual([]);
    expect(second.caFingerprint).toBe(first.caFingerprint);
    expect(second.certChainPem).toBe(first.certChainPem);
  });

  it("issues a new server certificate from the same CA for a new name, keeping the names it had", async () => {
    const clock = manualClock();
    const first = await ensureDevelopmentCertificates(dataDir, ["localhost", "kiosk.test"], clock);
    const second = await ensureDevelopmentCertificates(dataDir, ["localhost", "wall-2.site.example"], clock);
    expect(second.changes).toEqual(["issued a server certificate"]);
    expect(second.caFingerprint).toBe(first.caFingerprint);
    expect(second.names).toEqual(expect.arrayContaining(["localhost", "kiosk.test", "wall-2.site.example"]));
  });

  it("renews a server certificate within 30 days of expiry, and not before", async () => {
    const clock = manualClock();
    const first = await ensureDevelopmentCertificates(dataDir, ["localhost"], clock);
    clock.advance(300 * DAY);
    expect((await ensureDevelopmentCertificates(dataDir, ["localhost"], clock)).changes).toEqual([]);
    clock.advance(70 * DAY);
    const renewed = await ensureDevelopmentCertificates(dataDir, ["localhost"], clock);
    expect(renewed.changes).toEqual(["issued a server certificate"]);
    expect(renewed.caFingerprint).toBe(first.caFingerprint);
  });
});
