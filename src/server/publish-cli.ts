/**
 * `npm run publish -- --server <url> [--device <name>] --id <id>
 *  (--file <path> | --text <string>) [--media-type <type>] [--token <t>] [--delete]`
 *
 * Creates the publication, or updates it when the id exists, and prints the
 * new version alone on stdout. `--delete` removes it. Every failure is one
 * line on stderr and exit code 1.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import { mediaTypeOfFile } from "./media-type.js";

const USAGE = `usage: npm run publish -- --server <url> [--device <name>] --id <id> (--file <path> | --text <string>) [--media-type <type>] [--token <t>]
       npm run publish -- --server <url> [--device <name>] --id <id> --delete [--token <t>]`;

/** Gives up on a server that accepts the connection but never answers. */
const CALL_TIMEOUT_MS = 10_000;

class UsageError extends Error {}

function readCommandLine(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      server: { type: "string" },
      device: { type: "string", default: "" },
      id: { type: "string" },
      file: { type: "string" },
      text: { type: "string" },
      "media-type": { type: "string" },
      token: { type: "string" },
      delete: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.server === undefined) throw new UsageError("--server <url> is required");
  if (values.id === undefined || values.id === "") throw new UsageError("--id <id> is required");
  const sources = [values.file, values.text].filter((v) => v !== undefined).length;
  if (values.delete && sources > 0) throw new UsageError("--delete takes no --file or --text");
  if (!values.delete && sources !== 1) throw new UsageError("give exactly one of --file <path> or --text <string>");
  try {
    new URL(values.server);
  } catch {
    throw new UsageError(`--server must be a URL such as http://127.0.0.1:8700, not ${JSON.stringify(values.server)}`);
  }
  return { ...values, server: values.server, id: values.id };
}

async function readBody(file: string | undefined, text: string | undefined): Promise<Uint8Array> {
  if (file === undefined) return new TextEncoder().encode(text ?? "");
  try {
    return new Uint8Array(await readFile(file));
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

function describeFailure(err: unknown, server: string): string {
  if (err instanceof UsageError) return err.message;
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

async function run(args: ReturnType<typeof readCommandLine>): Promise<void> {
  const bearer: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${args.token}`);
    return next(req);
  };
  const transport = createGrpcWebTransport({
    baseUrl: args.server,
    httpVersion: "1.1",
    interceptors: args.token === undefined ? [] : [bearer],
  });
  const client = createClient(PublicationApi, transport);
  const call = { timeoutMs: CALL_TIMEOUT_MS };
  const name = args.device;

  if (args.delete) {
    const removed = await client.deletePublication({ name, id: args.id }, call);
    console.error(`deleted ${args.id} (version ${removed.version})`);
    return;
  }
  const publication = {
    id: args.id,
    body: await readBody(args.file, args.text),
    mediaType: args["media-type"] ?? (args.file !== undefined ? mediaTypeOfFile(args.file) : "text/plain"),
  };
  let version: string;
  try {
    version = (await client.createPublication({ name, publication }, call)).version;
  } catch (err) {
    if (ConnectError.from(err).code !== Code.AlreadyExists) throw err;
    version = (await client.updatePublication({ name, publication }, call)).version;
  }
  console.log(version);
}

let args: ReturnType<typeof readCommandLine>;
try {
  args = readCommandLine(process.argv.slice(2));
} catch (err) {
  console.error(`publish: ${(err as Error).message}\n${USAGE}`);
  process.exit(1);
}
try {
  await run(args);
} catch (err) {
  console.error(`publish: ${describeFailure(err, args.server)}`);
  process.exitCode = 1;
}
