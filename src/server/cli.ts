#!/usr/bin/env node
/**
 * `pubcache-server --data <dir> [--port <n>] [--host <addr>] [--device <name>]
 *  [--no-pull | --no-pull-all] [--db-like] [--token <secret> | --auth [--access-ttl <s>] [--refresh-ttl <s>]] [--faults]`
 * — the package's bin (`npm run server -- …` in this repository); see README.md.
 */
import { signInInstructions } from "./idp/sign-in-instructions.js";
import { serveUntilStopped } from "./serve.js";
import { readServerCommandLine, SERVER_USAGE } from "./server-command-line.js";

let options: ReturnType<typeof readServerCommandLine>;
try {
  options = readServerCommandLine(process.argv.slice(2));
} catch (err) {
  console.error(`server: ${(err as Error).message}\n${SERVER_USAGE}`);
  process.exit(1);
}
if (options === "help") console.log(SERVER_USAGE);
else {
  const server = await serveUntilStopped(options, "server");
  if (server !== undefined && options.auth !== undefined) console.log(signInInstructions(server.url, options.auth));
}
