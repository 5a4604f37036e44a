/**
 * `npm run server -- --data <dir> [--port <n>] [--host <addr>] [--device <name>]
 *  [--no-pull | --no-pull-all] [--db-like] [--token <secret>] [--faults]` — see README.md.
 */
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
else await serveUntilStopped(options, "server");
