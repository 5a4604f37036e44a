/**
 * `npm start`: seeds a demo data directory on first run and starts the
 * development publication server on it.
 *
 *   --data <dir>  (or DATA_DIR)  default .data/demo
 *   --port <n>    (or PORT)      default 8700
 *   --host <addr> (or HOST)      default 127.0.0.1
 *
 * A later issue turns this into the full dashboard.
 */
import { parseArgs } from "node:util";
import { systemClock } from "../platform/system-clock.js";
import { parsePort, serveUntilStopped } from "../server/serve.js";
import { seedDemoData } from "./seed-demo-data.js";

let dataDir: string;
let port: number;
let host: string;
try {
  const { values } = parseArgs({
    options: { data: { type: "string" }, port: { type: "string" }, host: { type: "string" } },
    strict: true,
  });
  dataDir = values.data ?? process.env.DATA_DIR ?? ".data/demo";
  port = parsePort(values.port ?? process.env.PORT ?? "8700", "--port (or PORT)");
  host = values.host ?? process.env.HOST ?? "127.0.0.1";
} catch (err) {
  console.error(`start: ${(err as Error).message}\nusage: npm start -- [--data <dir>] [--port <n>] [--host <addr>]`);
  process.exit(1);
}

try {
  const seeded = await seedDemoData(dataDir, systemClock);
  if (seeded.length > 0) console.log(`seeded ${dataDir} with demo publications: ${seeded.join(", ")}`);
} catch (err) {
  console.error(`start: cannot seed ${dataDir}: ${(err as Error).message}`);
  process.exit(1);
}
const server = await serveUntilStopped({ dataDir, port, host, logger: (line) => console.log(line) }, "start");
if (server !== undefined) {
  console.log(`publications are kept in ${dataDir}; publish more with: npm run publish -- --server ${server.url} --id <id> --text <text>`);
}
