import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, readlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { BrowserSession, Tablet, TabletSetup } from "./browser-session.js";
import type { WebKitLaunch } from "./webkit-session.js";

const run = promisify(execFile);

/** The Python with GObject introspection that runs the tablet shell (`apt-get install -y python3-gi gir1.2-webkit2-4.1`). */
export const PYTHON_PATH = process.env.PUBCACHE_PYTHON ?? "/usr/bin/python3";
const UNSHARE_PATH = "/usr/bin/unshare";
const SHELL = fileURLToPath(new URL("./webkit-tablet-shell.py", import.meta.url));
/** The name the shell reports to WebDriver. */
const SHELL_NAME = "pubcache-webkit-tablet";

/**
 * Where WebKitGTK's trust and names come from: glib-networking asks GnuTLS
 * for the system trust, which Debian's GnuTLS reads from this one file
 * (compiled in; no environment variable of GnuTLS, p11-kit or
 * glib-networking names another); names go through getaddrinfo, so
 * /etc/hosts.
 */
const SYSTEM_TRUST_FILE = "/etc/ssl/certs/ca-certificates.crt";
const HOSTS_FILE = "/etc/hosts";

/**
 * Binds the tablet's copies over the system's files in a private mount
 * namespace, then becomes WebKitWebDriver: only that process tree (the
 * driver, the shell, WebKit's network and web processes) sees them; the
 * namespace ends with its last process.
 */
const IN_NAMESPACE = 'set -e; mount --bind "$1" "$2"; mount --bind "$3" "$4"; shift 4; exec "$@"';

/**
 * A WebKitGTK tablet: the site's CA added to a copy of the system's trust
 * file and the names to a copy of /etc/hosts, both seen only by the
 * driver's process tree (`unshare --mount`, so root: the machine's files
 * are never changed); the browser is the tablet shell
 * (webkit-tablet-shell.py) on a persistent profile, since MiniBrowser under
 * WebDriver cannot keep one.
 */
export async function webkitTablet(
  setup: TabletSetup,
  engine: {
    /** WebKit features to switch on, as in MiniBrowser. */
    readonly features: readonly string[];
    readonly launch: (browser: WebKitLaunch) => Promise<BrowserSession>;
  },
): Promise<Tablet> {
  await requireTabletTools();
  const { dir } = setup;
  const trustFile = join(dir, "ca-certificates.crt");
  const hostsFile = join(dir, "hosts");
  const profile = join(dir, "profile");
  await writeFile(trustFile, `${await readFile(SYSTEM_TRUST_FILE, "utf8")}\n${setup.caPem}`);
  await writeFile(hostsFile, `${await readFile(HOSTS_FILE, "utf8")}\n${setup.names.map((name) => `127.0.0.1 ${name}\n`).join("")}`);
  const browser: WebKitLaunch = {
    browserName: SHELL_NAME,
    binary: PYTHON_PATH,
    args: [SHELL, "--profile", profile, ...engine.features.flatMap((feature) => ["--feature", feature])],
    driverPrefix: [UNSHARE_PATH, "--mount", "--propagation", "private", "--", "sh", "-c", IN_NAMESPACE, "sh", trustFile, SYSTEM_TRUST_FILE, hostsFile, HOSTS_FILE],
    // GTK's own caches and settings in the tablet's directory too, not the user's.
    env: { XDG_CACHE_HOME: join(dir, "xdg-cache"), XDG_CONFIG_HOME: join(dir, "xdg-config") },
  };
  return {
    description: `CA appended to a private copy of ${SYSTEM_TRUST_FILE}, ${setup.names.join(", ")} in a private copy of ${HOSTS_FILE} (a mount namespace of the driver's alone)`,
    boot: async () => {
      const session = await engine.launch(browser);
      // Every process of this boot (driver, shell, WebKit's) is in the namespace, and only they are.
      const namespace = await mountNamespaceOf(profile);
      return {
        version: session.version,
        firstTab: session.firstTab,
        newTab: () => session.newTab(),
        close: async () => {
          try {
            await session.close();
          } finally {
            // The last ones may still be writing the profile: the next boot, or removing it, waits for them.
            if (namespace !== undefined) await ended(namespace);
          }
        },
      };
    },
  };
}

/** The mount namespace of the process whose command line holds `marker` (the shell's, by its profile). */
async function mountNamespaceOf(marker: string): Promise<string | undefined> {
  for (const pid of await pids()) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.split("\0").includes(marker)) return readlink(`/proc/${pid}/ns/mnt`).catch(() => undefined);
  }
  return undefined;
}

/** Waits until no live process is left in `namespace`; kills those still there after 10 s (all are this boot's). */
async function ended(namespace: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const left = await processesIn(namespace);
    if (left.length === 0) return;
    if (Date.now() > deadline + 5_000) throw new Error(`WebKit tablet: processes ${left.join(", ")} outlived their browser and SIGKILL`);
    if (Date.now() > deadline) {
      for (const pid of left) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Gone meanwhile.
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function processesIn(namespace: string): Promise<number[]> {
  const found: number[] = [];
  for (const pid of await pids()) {
    const [mnt, stat] = await Promise.all([readlink(`/proc/${pid}/ns/mnt`).catch(() => ""), readFile(`/proc/${pid}/stat`, "utf8").catch(() => "")]);
    // A zombie (state Z, after the command's closing parenthesis) holds nothing open.
    if (mnt === namespace && !/\) Z /.test(stat)) found.push(pid);
  }
  return found;
}

async function pids(): Promise<number[]> {
  return (await readdir("/proc")).filter((name) => /^\d+$/.test(name)).map(Number);
}

/** Fails with what to install or change: the shell's bindings, a usable private mount namespace. */
async function requireTabletTools(): Promise<void> {
  for (const file of [PYTHON_PATH, UNSHARE_PATH, SYSTEM_TRUST_FILE, HOSTS_FILE]) {
    if (!existsSync(file)) throw new Error(`WebKit tablet: ${file} not found`);
  }
  try {
    await run(PYTHON_PATH, [SHELL, "--check"]);
  } catch (error) {
    throw new Error(`WebKit tablet: the shell cannot load WebKitGTK through ${PYTHON_PATH}: install python3-gi gir1.2-webkit2-4.1 (apt-get install -y), or set PUBCACHE_PYTHON\n${String(error)}`, { cause: error });
  }
  try {
    await run(UNSHARE_PATH, ["--mount", "--propagation", "private", "--", "true"]);
  } catch (error) {
    throw new Error(`WebKit tablet: no private mount namespace (unshare --mount needs root or CAP_SYS_ADMIN), so the CA and the name cannot be given to WebKit alone\n${String(error)}`, { cause: error });
  }
}
