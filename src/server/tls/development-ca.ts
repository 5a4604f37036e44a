import "reflect-metadata"; // @peculiar/x509 resolves its ASN.1 providers through tsyringe, which needs it
import { createHash, webcrypto } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";
import type { Clock } from "../../core/clock.js";

x509.cryptoProvider.set(webcrypto as Crypto);

const DAY_MS = 24 * 60 * 60 * 1000;
/** The CA lives long: every tablet that trusts it would have to be visited again for a new one. */
const CA_LIFETIME_MS = 10 * 365 * DAY_MS;
/**
 * 397 days: within what Apple accepts for a TLS server certificate (398),
 * so an iPad that trusts the CA also accepts the certificate it signs.
 */
const SERVER_LIFETIME_MS = 397 * DAY_MS;
/** A server certificate this close to expiry is issued again at start-up. */
const RENEW_BEFORE_MS = 30 * DAY_MS;
const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/** The files of a data directory's development CA (`<data>/tls/`). */
export interface DevelopmentCaFiles {
  /** The CA certificate, PEM: what devices install to trust this server. Never the key. */
  readonly caCertPath: string;
  readonly caKeyPath: string;
  readonly serverCertPath: string;
  readonly serverKeyPath: string;
}

export interface DevelopmentCertificates {
  readonly files: DevelopmentCaFiles;
  /** The CA certificate, PEM. */
  readonly caPem: string;
  /** SHA-256 of the CA certificate's DER bytes, as `AB:CD:…` (what a device shows to compare). */
  readonly caFingerprint: string;
  /** Server certificate then CA certificate, PEM: the chain a TLS server presents. */
  readonly certChainPem: string;
  /** The server certificate's private key, PKCS #8 PEM. */
  readonly keyPem: string;
  /** The names the server certificate is valid for (DNS names and IP addresses). */
  readonly names: readonly string[];
  /** What was done: "created the CA", "issued a server certificate", or nothing when all was reused. */
  readonly changes: readonly string[];
}

export function developmentCaFiles(dataDir: string): DevelopmentCaFiles {
  const dir = join(dataDir, "tls");
  return {
    caCertPath: join(dir, "ca.crt"),
    caKeyPath: join(dir, "ca.key"),
    serverCertPath: join(dir, "server.crt"),
    serverKeyPath: join(dir, "server.key"),
  };
}

/**
 * The private CA and server certificate of a data directory, made on first
 * use and kept in `<data>/tls/`: the CA once (a device trusts it once), the
 * server certificate again whenever it does not cover every name in `names`
 * or is within 30 days of expiry. Keys are written with mode 0600 and never
 * leave the directory.
 */
export async function ensureDevelopmentCertificates(
  dataDir: string,
  names: readonly string[],
  clock: Clock,
): Promise<DevelopmentCertificates> {
  const files = developmentCaFiles(dataDir);
  await mkdir(join(dataDir, "tls"), { recursive: true, mode: 0o700 });
  const changes: string[] = [];
  const now = clock.now();

  let ca = await readPair(files.caCertPath, files.caKeyPath);
  if (ca === undefined || ca.certificate.notAfter.getTime() - now < RENEW_BEFORE_MS) {
    ca = await createCa(now);
    await writePair(files.caCertPath, files.caKeyPath, ca);
    changes.push("created the CA");
  }

  const wanted = [...new Set(names)];
  let server = await readPair(files.serverCertPath, files.serverKeyPath);
  if (
    server === undefined ||
    changes.length > 0 ||
    server.certificate.issuer !== ca.certificate.subject ||
    server.certificate.notAfter.getTime() - now < RENEW_BEFORE_MS ||
    !wanted.every((name) => namesOf(server!.certificate).includes(normalizeName(name)))
  ) {
    // Keep names the old certificate had, so adding a --name never drops one a device already uses.
    const kept = server === undefined || changes.length > 0 ? [] : namesOf(server.certificate);
    server = await issueServerCertificate(ca, [...new Set([...wanted.map(normalizeName), ...kept])], now);
    await writePair(files.serverCertPath, files.serverKeyPath, server);
    changes.push("issued a server certificate");
  }

  const caPem = ca.certificate.toString("pem");
  return {
    files,
    caPem,
    caFingerprint: fingerprintOf(ca.certificate),
    certChainPem: `${server.certificate.toString("pem")}\n${caPem}\n`,
    keyPem: server.keyPem,
    names: namesOf(server.certificate),
    changes,
  };
}

/** SHA-256 of a PEM certificate's DER bytes as upper-case hex pairs joined by ":". */
export function certificateFingerprint(pem: string): string {
  return fingerprintOf(new x509.X509Certificate(pem));
}

interface KeyedCertificate {
  readonly certificate: x509.X509Certificate;
  readonly privateKey: CryptoKey;
  readonly keyPem: string;
}

function fingerprintOf(certificate: x509.X509Certificate): string {
  const hex = createHash("sha256").update(new Uint8Array(certificate.rawData)).digest("hex").toUpperCase();
  return hex.match(/../g)!.join(":");
}

function normalizeName(name: string): string {
  return isIP(name) ? name : name.toLowerCase();
}

/** The DNS names and IP addresses of a certificate's subjectAltName. */
function namesOf(certificate: x509.X509Certificate): string[] {
  const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
  return san === null ? [] : san.names.items.map((item) => normalizeName(item.value));
}

async function createCa(now: number): Promise<KeyedCertificate> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    // The date tells two CAs of one machine apart in a device's list of trusted certificates.
    name: `CN=pubcache-web development CA ${new Date(now).toISOString().slice(0, 10)}, O=pubcache-web`,
    notBefore: new Date(now - DAY_MS), // a device whose clock is a little behind still accepts it
    notAfter: new Date(now + CA_LIFETIME_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, privateKey: keys.privateKey, keyPem: await exportKeyPem(keys.privateKey) };
}

async function issueServerCertificate(ca: KeyedCertificate, names: readonly string[], now: number): Promise<KeyedCertificate> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${names[0] ?? "localhost"}`,
    issuer: ca.certificate.subject,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(Math.min(now + SERVER_LIFETIME_MS, ca.certificate.notAfter.getTime())),
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((name): x509.JsonGeneralName => ({ type: isIP(name) ? "ip" : "dns", value: name }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
    ],
  });
  return { certificate, privateKey: keys.privateKey, keyPem: await exportKeyPem(keys.privateKey) };
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

async function readPair(certPath: string, keyPath: string): Promise<KeyedCertificate | undefined> {
  let certPem: string;
  let keyPem: string;
  try {
    [certPem, keyPem] = await Promise.all([readFile(certPath, "utf8"), readFile(keyPath, "utf8")]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const certificate = new x509.X509Certificate(certPem);
  const privateKey = await webcrypto.subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(keyPem), ALGORITHM, true, ["sign"]);
  return { certificate, privateKey, keyPem };
}

async function writePair(certPath: string, keyPath: string, pair: KeyedCertificate): Promise<void> {
  await writeFile(keyPath, pair.keyPem, { mode: 0o600 });
  await writeFile(certPath, pair.certificate.toString("pem") + "\n", { mode: 0o644 });
}

/** A positive 16-byte serial (RFC 5280: unique per CA, at most 20 bytes). */
function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString("hex");
}
