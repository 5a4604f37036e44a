/**
 * `npm run auth:approve -- --server <url> --code <user code> [--user <name>] [--deny]`
 * — see approve-command.ts and the server README ("Identity provider").
 */
import { approveCommand } from "./approve-command.js";

process.exitCode = await approveCommand(process.argv.slice(2), {
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
});
