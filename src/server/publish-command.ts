/**
 * The `pubcache-publish` command (`npm run pub` here), importable so tests run it in-process;
 * `publish-cli.ts` is the thin process entry.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import { clientCredentialsBearer } from "./idp/client-credentials-bearer.js";
import { identityProviderEndpoints } from "./idp/endpoints.js";
import { formPost } from "./idp/form-post.js";
import { mediaTypeOfFile } from "./media-type.js";

export const PUBLISH_USAGE = `usage: pubcache-publish --server <url> [--device <name>] --id <id> (--file <path> | --text <string>) [--media-type <type>] [--audience <screen>] [--token <t> | --client <id>:<secret>] [--ca <pem>]
       pubcache-publish --server <url> [--device <name>] --id <id> --delete [--token <t> | --client <id>:<secret>] [--ca <pem>]
  --audience <screen>     address it to that screen (it acknowledges it; <screen>:config is its configuration)
  --token <t>             a bearer token (\`--token\` servers, or one taken from an identity provider)
  --client <id>:<secret>  a server started with --auth: tokens from its identity provider for this client (client-credentials grant)
  --ca <pem>              trust this CA for an https server (e.g. <data>/tls/ca.crt of \`pubcache-server --tls\`)
(in this repository: npm run pub -- <flags>)`;

/** Gives up on a server that accepts the connection but never answers. */
const CALL_TIMEOUT_MS = 10_000;

/** Where the command writes: stdout gets the version only; stderr everything else. */
export interface CommandOutput {
  stdout(line: string): void;
  stderr(line: string): void;
}

/**
 * Runs `pubcache-publish` with `args` (without the program name): creates the
 * publication, or updates it when the id exists, and writes the new version
 * alone to stdout; `--delete` removes it. Resolves to the exit code: 0, or 1
 * after one line on stderr for any failure (bad command line, unreadable
 * file, unreachable server, refused token, error status).
 */
export async function publishCommand(args: string[], out: CommandOutput): Promise<number> {
  let command: PublishCommandLine;
  try {
    command = readCommandLine(args);
  } catch (err) {
    out.stderr(`publish: ${(err as Error).message}\n${PUBLISH_USAGE}`);
    return 1;
  }
  try {
    await run(command, out);
    return 0;
  } catch (err) {
    out.stderr(`publish: ${describeFailure(err, command.server)}`);
    return 1;
  }
}

interface PublishCommandLine {
  readonly server: string;
  readonly device: string;
  readonly id: string;
  readonly file: string | undefined;
  readonly text: string | undefined;
  readonly mediaType: string | undefined;
  /** The screen it is addressed to (`audience.name`). */
  readonly audience: string | undefined;
  readonly token: string | undefined;
  /** `--client`: OAuth client credentials for the server's own identity provider. */
  readonly client: { readonly id: string; readonly secret: string } | undefined;
  /** A CA certificate file to trust for an https server, besides the system's. */
  readonly ca: string | undefined;
  readonly delete: boolean;
}

/** A failure that is the user's input, not the server's answer. */
class InputError extends Error {}

function readCommandLine(args: string[]): PublishCommandLine {
  const { values } = parseArgs({
    args,
    options: {
      server: { type: "string" },
      device: { type: "string", default: "" },
      id: { type: "string" },
      file: { type: "string" },
      text: { type: "string" },
      "media-type": { type: "string" },
      audience: { type: "string" },
      token: { type: "string" },
      client: { type: "string" },
      ca: { type: "string" },
      delete: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.server === undefined) throw new InputError("--server <url> is required");
  if (values.id === undefined || values.id === "") throw new InputError("--id <id> is required");
  const sources = [values.file, values.text].filter((v) => v !== undefined).length;
  if (values.delete && sources > 0) throw new InputError("--delete takes no --file or --text");
  if (!values.delete && sources !== 1) throw new InputError("give exactly one of --file <path> or --text <string>");
  if (!URL.canParse(values.server)) {
    throw new InputError(`--server must be a URL such as http://127.0.0.1:8700, not ${JSON.stringify(values.server)}`);
  }
  if (values.token !== undefined && values.client !== undefined) throw new InputError("give either --token or --client, not both");
  const colon = values.client?.indexOf(":") ?? -1;
  if (values.client !== undefined && colon <= 0) throw new InputError("--client takes <id>:<secret>, e.g. signage-server:signage-secret");
  return {
    server: values.server,
    client: values.client === undefined ? undefined : { id: values.client.slice(0, colon), secret: values.client.slice(colon + 1) },
    device: values.device,
    id: values.id,
    file: values.file,
    text: values.text,
    mediaType: values["media-type"],
    audience: values.audience,
    token: values.token,
    ca: values.ca,
    delete: values.delete,
  };
}

async function run(command: PublishCommandLine, out: CommandOutput): Promise<void> {
  const bearer: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${command.token}`);
    return next(req);
  };
  const ca = command.ca === undefined ? undefined : await readCaFile(command.ca);
  const transport = createGrpcWebTransport({
    baseUrl: command.server,
    httpVersion: "1.1",
    ...(ca !== undefined && { nodeOptions: { ca } }),
    interceptors:
      command.token !== undefined
        ? [bearer]
        : command.client !== undefined
          ? [
              clientCredentialsBearer({
                tokenUrl: identityProviderEndpoints(command.server.replace(/\/+$/, "")).oauth2Token,
                clientId: command.client.id,
                clientSecret: command.client.secret,
                post: formPost(ca),
              }),
            ]
          : [],
  });
  const client = createClient(PublicationApi, transport);
  const call = { timeoutMs: CALL_TIMEOUT_MS };
  const name = command.device;

  if (command.delete) {
    const removed = await client.deletePublication({ name, id: command.id }, call);
    out.stderr(`deleted ${command.id} (version ${removed.version})`);
    return;
  }
  const publication = {
    id: command.id,
    body: await readBody(command),
    mediaType: command.mediaType ?? (command.file !== undefined ? mediaTypeOfFile(command.file) : "text/plain"),
    // An update replaces the whole publication: the audience is given again each time, or it is gone.
    ...(command.audience !== undefined && command.audience !== "" && { audience: { name: command.audience } }),
  };
  let version: string;
  try {
    version = (await client.createPublication({ name, publication }, call)).version;
  } catch (err) {
    if (ConnectError.from(err).code !== Code.AlreadyExists) throw err;
    version = (await client.updatePublication({ name, publication }, call)).version;
  }
  out.stdout(version);
}

async function readBody({ file, text }: PublishCommandLine): Promise<Uint8Array> {
  if (file === undefined) return new TextEncoder().encode(text ?? "");
  try {
    return new Uint8Array(await readFile(file));
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

function describeFailure(err: unknown, server: string): string {
  if (err instanceof InputError) return err.message;
  const error = ConnectError.from(err);
  switch (error.code) {
    case Code.Unauthenticated:
    case Code.PermissionDenied:
      return `${server} refused the credentials (${Code[error.code]}): ${error.rawMessage}`;
    case Code.Unavailable:
    case Code.Unknown:
    case Code.DeadlineExceeded:
      return `cannot reach ${server} (${Code[error.code]}): ${error.rawMessage}`;
    default:
      return `${server} answered ${Code[error.code]}: ${error.rawMessage}`;
  }
}

async function readCaFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw new InputError(`cannot read --ca ${path}: ${(err as Error).message}`);
  }
}
