import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { BrowserSession, Tablet, TabletSetup } from "./browser-session.js";
import type { GeckoLaunch } from "./gecko-session.js";

const run = promisify(execFile);

/** NSS's certutil (`apt-get install -y libnss3-tools`). */
export const CERTUTIL_PATH = process.env.PUBCACHE_CERTUTIL ?? "/usr/bin/certutil";

/**
 * A Firefox tablet: a profile directory of its own, whose NSS database
 * (`cert9.db`, which Firefox reads from the profile) holds the site's CA as
 * a trusted CA (`certutil -t "C,,"`), as a technician's "Import" in the
 * certificate manager does; the names resolve to loopback with the pref
 * `network.dns.localDomains`. Certificate checks stay on: without the CA,
 * Firefox stops at SEC_ERROR_UNKNOWN_ISSUER (notes/platform.md).
 */
export async function geckoTablet(setup: TabletSetup, launch: (options: GeckoLaunch) => Promise<BrowserSession>): Promise<Tablet> {
  if (!existsSync(CERTUTIL_PATH)) throw new Error(`Gecko tablet: ${CERTUTIL_PATH} not found: install it (apt-get install -y libnss3-tools) or set PUBCACHE_CERTUTIL`);
  const profile = join(setup.dir, "profile");
  await mkdir(profile);
  const caFile = join(setup.dir, "site-ca.crt");
  await writeFile(caFile, setup.caPem);
  await run(CERTUTIL_PATH, ["-d", `sql:${profile}`, "-N", "--empty-password"]);
  await run(CERTUTIL_PATH, ["-d", `sql:${profile}`, "-A", "-t", "C,,", "-n", "site-ca", "-i", caFile]);
  const prefs = { "network.dns.localDomains": setup.names.join(",") };
  return {
    description: `CA in the profile's NSS database (certutil); ${setup.names.join(", ")} by network.dns.localDomains`,
    boot: () => launch({ userDataDir: profile, prefs }),
  };
}
