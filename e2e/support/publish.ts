import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Publishes through the project's CLI (`src/server/publish-cli.ts`, what
 * `npm run pub` and the `pubcache-publish` bin run) and returns the version it prints.
 */
export async function publish(
  server: string,
  id: string,
  text: string,
  options: { token?: string; mediaType?: string; device?: string } = {},
): Promise<string> {
  const args = ["--import", "tsx", "src/server/publish-cli.ts", "--server", server, "--id", id, "--text", text];
  if (options.token) args.push("--token", options.token);
  if (options.mediaType) args.push("--media-type", options.mediaType);
  if (options.device) args.push("--device", options.device);
  const { stdout } = await run(process.execPath, args, { timeout: 30_000 });
  return stdout.trim();
}
