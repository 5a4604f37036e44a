import { certificateNames, type TlsRequest } from "./server-tls.js";

/** The HTTPS flags of `pubcache-server` and `npm start`, for `util.parseArgs`. */
export const TLS_FLAGS = {
  tls: { type: "boolean", default: false },
  name: { type: "string", multiple: true },
  cert: { type: "string" },
  key: { type: "string" },
} as const;

export const TLS_USAGE = `  --tls             serve HTTPS (HTTP/2 and HTTP/1.1, TLS 1.2+) with a private CA made in <data>/tls
                    on first run; its certificate (never the key) is served at /ca.crt
  --name <name>     with --tls: a DNS name or IP address tablets use to reach this machine (repeatable);
                    the certificate always covers localhost, 127.0.0.1, ::1 and this machine's host name
  --cert <pem> --key <pem>
                    serve HTTPS with the site's own certificate chain and key instead (implies --tls)`;

/**
 * What the HTTPS flags ask for, or undefined for plain HTTP. Throws an Error
 * with a one-line message for a combination that cannot work.
 */
export function readTlsFlags(
  values: { tls?: boolean; name?: string[]; cert?: string; key?: string },
  host: string,
): TlsRequest | undefined {
  const names = values.name ?? [];
  if (names.some((name) => name.trim() === "")) throw new Error("--name must not be empty");
  if ((values.cert === undefined) !== (values.key === undefined)) throw new Error("--cert and --key go together");
  if (values.cert !== undefined && values.key !== undefined) {
    if (names.length > 0) throw new Error("--name makes a development certificate; with --cert the certificate's own names apply");
    return { kind: "files", certPath: values.cert, keyPath: values.key };
  }
  // Without --tls a name only tells `npm start` which Host headers to accept.
  if (!values.tls) return undefined;
  return { kind: "development", names: certificateNames(host, names) };
}
