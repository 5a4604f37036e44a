import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import type { Clock } from "../../core/clock.js";
import { ServerStartError } from "../start-error.js";
import { ensureDevelopmentCertificates, type DevelopmentCertificates } from "./development-ca.js";

/** Where a CA certificate is served for devices to download and install (never a key). */
export const CA_CERTIFICATE_PATH = "/ca.crt";

/** What an HTTPS listener needs: its certificate chain and key, and the CA to offer devices, if it is ours. */
export interface ServerTls {
  /** Server certificate (then any intermediates and the CA), PEM. */
  readonly certChainPem: string;
  readonly keyPem: string;
  /** The development CA, when the certificate is one this package made; undefined for a site's own certificate. */
  readonly developmentCa?: DevelopmentCertificates;
}

/** `--tls` alone (a development CA in the data directory) or with `--cert`/`--key` (a site's own files). */
export type TlsRequest =
  | { readonly kind: "development"; readonly names: readonly string[] }
  | { readonly kind: "files"; readonly certPath: string; readonly keyPath: string };

/**
 * The names a development server certificate covers: loopback, this
 * machine's host name, a specific interface it listens on, and every name
 * given (`--name`), which is how tablets on the building network reach it.
 */
export function certificateNames(host: string, names: readonly string[]): string[] {
  const all = ["localhost", "127.0.0.1", "::1", hostname(), ...names];
  if (host !== "0.0.0.0" && host !== "::" && host !== "") all.push(host);
  return [...new Set(all)];
}

/** Reads or makes the TLS material `request` asks for; a failure is a {@link ServerStartError} with one line to print. */
export async function loadServerTls(dataDir: string, request: TlsRequest, clock: Clock): Promise<ServerTls> {
  if (request.kind === "files") {
    try {
      const [certChainPem, keyPem] = await Promise.all([readFile(request.certPath, "utf8"), readFile(request.keyPath, "utf8")]);
      return { certChainPem, keyPem };
    } catch (cause) {
      throw new ServerStartError(`cannot read --cert/--key: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
  }
  try {
    const developmentCa = await ensureDevelopmentCertificates(dataDir, request.names, clock);
    return { certChainPem: developmentCa.certChainPem, keyPem: developmentCa.keyPem, developmentCa };
  } catch (cause) {
    throw new ServerStartError(
      `cannot make the development CA in ${dataDir}/tls: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/**
 * What to print so that someone can make a tablet trust the development CA:
 * where the file is, its fingerprint to compare on the device, where a
 * device can download it, and one line per platform.
 */
export function trustInstructions(ca: DevelopmentCertificates, downloadUrl: string): string {
  return [
    `  HTTPS:               certificates from a private CA made for this data directory`,
    `    CA certificate:    ${ca.files.caCertPath}`,
    `    SHA-256:           ${ca.caFingerprint}`,
    `    download it at:    ${downloadUrl}   (accept the one warning to fetch it; compare the SHA-256 on the device)`,
    `    valid for:         ${ca.names.join(", ")}`,
    `    trust it once on each device, then open the https address:`,
    `      Android:         Settings > Security > Encryption & credentials > Install a certificate > CA certificate > ca.crt`,
    `      iPadOS:          open the download in Safari, Settings > General > VPN & Device Management > install the profile,`,
    `                       then Settings > General > About > Certificate Trust Settings > turn on full trust for it`,
    `      ChromeOS:        Settings > Privacy and security > Security > Manage certificates > Authorities > Import (trust for websites)`,
    `      Windows:         certutil -addstore -f Root ca.crt   (as administrator)`,
    `      macOS:           sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ca.crt`,
    `      Linux/Chromium:  certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n pubcache-dev-ca -i ca.crt   (libnss3-tools)`,
    `      Firefox:         Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import`,
  ].join("\n");
}
