import { isIP } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Which `Host` names the dashboard server answers to. A browser on a tablet
 * sends the name it was given; a server that answers any name can be reached
 * through DNS rebinding, so (like Vite) we answer only names we were told:
 * loopback, this machine's host name, every `--name`, and any IP address (an
 * address cannot be rebound). Other names get a 403 that says what to pass —
 * not Vite's "add it to preview.allowedHosts in vite.config.js", which is no
 * use to someone who ran `npm start`.
 */
export function allowedNames(names: readonly string[]): ReadonlySet<string> {
  return new Set(["localhost", ...names].map((name) => name.toLowerCase()));
}

/** The name of a Host header ("kiosk.test:8080" → "kiosk.test", "[::1]:80" → "::1"), lower case. */
export function hostName(hostHeader: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return hostHeader.replace(/:\d+$/, "").toLowerCase();
}

export function isNameAllowed(hostHeader: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (hostHeader === undefined) return false;
  const name = hostName(hostHeader);
  return isIP(name) !== 0 || allowed.has(name) || name.endsWith(".localhost");
}

/** Connect-style middleware: a 403 naming the flag to pass for a name not in `allowed`. */
export function refuseOtherNames(allowed: ReadonlySet<string>, program: string) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    // HTTP/2 requests carry the name in :authority; Node's compatibility API maps it to host only for HTTP/1.1.
    const host = req.headers.host ?? (req.headers[":authority"] as string | undefined);
    if (isNameAllowed(host, allowed)) return next();
    const name = host === undefined ? "(none)" : hostName(host);
    res.writeHead(403, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    res.end(
      `This dashboard server does not answer to the name "${name}".\n` +
        `Start it with that name allowed: ${program} --name ${name}\n` +
        `(with --tls the name is also put in the certificate). Names allowed now: ${[...allowed].join(", ")} and any IP address.\n`,
    );
  };
}
