/**
 * The `npm run auth:approve` command, importable so tests run it in-process;
 * `approve-cli.ts` is the thin process entry.
 */
import { parseArgs } from "node:util";
import { readFile } from "node:fs/promises";
import { DEFAULT_REALM, identityProviderEndpoints } from "./endpoints.js";
import { formPost } from "./form-post.js";

export const APPROVE_USAGE = `usage: npm run auth:approve -- --server <url> --code <user code> [--user <name>] [--deny] [--ca <pem>]
  --server <url>  the development server, e.g. http://127.0.0.1:8700
  --code <code>   the code the screen shows, e.g. WDJB-MJHT (any case, dash optional)
  --user <name>   whom the screen signs in as (default: the first configured user, admin)
  --deny          refuse the sign-in instead
  --ca <pem>      trust this CA for an https server (e.g. <data>/tls/ca.crt of \`--tls\`)`;

/** Gives up on a server that accepts the connection but never answers. */
const TIMEOUT_MS = 10_000;

export interface CommandOutput {
  stdout(line: string): void;
  stderr(line: string): void;
}

/**
 * Approves (or with `--deny` denies) a device sign-in through the server's
 * `/auth/approve` or `/auth/deny` endpoint, and writes one line saying so.
 * Resolves to the exit code: 0, or 1 after one line on stderr (bad command
 * line, unreachable server, unknown, expired or already decided code).
 */
export async function approveCommand(args: string[], out: CommandOutput): Promise<number> {
  let values: { server?: string; code?: string; user?: string; deny: boolean; ca?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        server: { type: "string" },
        code: { type: "string" },
        user: { type: "string" },
        deny: { type: "boolean", default: false },
        ca: { type: "string" },
      },
      strict: true,
    }));
    if (values.server === undefined || !/^https?:\/\//.test(values.server)) throw new Error("--server <url> is required (http://host:port)");
    if (values.code === undefined || values.code.trim() === "") throw new Error("--code <user code> is required");
    if (values.deny && values.user !== undefined) throw new Error("--user only applies when approving");
  } catch (err) {
    out.stderr(`auth:approve: ${(err as Error).message}\n${APPROVE_USAGE}`);
    return 1;
  }

  const endpoints = identityProviderEndpoints(values.server.replace(/\/+$/, ""), DEFAULT_REALM);
  const params = new URLSearchParams({ user_code: values.code, ...(values.user === undefined ? {} : { user: values.user }) });
  let ca: string | undefined;
  try {
    ca = values.ca === undefined ? undefined : await readFile(values.ca, "utf8");
  } catch (err) {
    out.stderr(`auth:approve: cannot read --ca ${values.ca}: ${(err as Error).message}`);
    return 1;
  }
  let answer: { status: number; body: { error_description?: unknown; user?: unknown; client?: unknown } };
  try {
    const res = await formPost(ca)(values.deny ? endpoints.deny : endpoints.approve, params, AbortSignal.timeout(TIMEOUT_MS));
    answer = { status: res.status, body: (await res.json().catch(() => ({}))) as typeof answer.body };
  } catch (err) {
    // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a timeout…).
    const cause = (err as Error).cause;
    out.stderr(`auth:approve: cannot reach ${values.server}: ${cause instanceof Error ? cause.message : (err as Error).message}`);
    return 1;
  }
  if (answer.status === 404 && answer.body.error_description === undefined) {
    out.stderr(`auth:approve: ${values.server} has no identity provider (start it with --auth)`);
    return 1;
  }
  if (answer.status !== 200) {
    out.stderr(`auth:approve: ${typeof answer.body.error_description === "string" ? answer.body.error_description : `HTTP ${answer.status}`}`);
    return 1;
  }
  const code = values.code.toUpperCase();
  out.stdout(values.deny ? `denied ${code} (client ${String(answer.body.client)})` : `approved ${code} as ${String(answer.body.user)} (client ${String(answer.body.client)})`);
  return 0;
}
