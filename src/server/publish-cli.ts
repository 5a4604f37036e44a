#!/usr/bin/env node
/**
 * `pubcache-publish --server <url> [--device <name>] --id <id>
 *  (--file <path> | --text <string>) [--media-type <type>] [--token <t>] [--delete]`
 * — the package's bin (`npm run pub -- …` in this repository); see
 * publish-command.ts and README.md.
 */
import { publishCommand } from "./publish-command.js";

process.exitCode = await publishCommand(process.argv.slice(2), {
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
});
