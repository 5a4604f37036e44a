/**
 * `npm run demo:tick -- [--server <url>] [--every <seconds>] [--device <name>]`
 * Publishes a new version of `announcements` every few seconds (default 5)
 * to a running server (default http://127.0.0.1:8700, or PUBCACHE_SERVER),
 * so the dashboard's live updates can be watched. Ctrl-C stops it.
 */
import { parseArgs } from "node:util";
import { startDemoTick } from "./demo-tick.js";

const USAGE = "usage: npm run demo:tick -- [--server <url>] [--every <seconds>] [--device <name>]";
let server: string;
let everyMs: number;
let device: string;
try {
  const { values } = parseArgs({
    options: { server: { type: "string" }, every: { type: "string", default: "5" }, device: { type: "string", default: "" } },
    strict: true,
  });
  server = values.server ?? process.env.PUBCACHE_SERVER ?? "http://127.0.0.1:8700";
  new URL(server);
  everyMs = Number(values.every) * 1000;
  if (!Number.isFinite(everyMs) || everyMs < 500) throw new Error("--every must be a number of seconds, at least 0.5");
  device = values.device;
} catch (err) {
  console.error(`demo:tick: ${(err as Error).message}\n${USAGE}`);
  process.exit(1);
}
console.log(`demo tick: publishing announcements to ${server} every ${everyMs / 1000} s (Ctrl-C stops)`);
const tick = startDemoTick({ server, device, everyMs, log: (line) => console.log(line) });
const stop = () => void tick.stop().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
