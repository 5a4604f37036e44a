/**
 * `node dist/follow.js --server <url> --id <id> --data <dir> [--count <n>]`:
 * a signage box without a browser. Keeps one publication in a folder (the Go
 * `pubcache` file layout) and prints every value as one JSON line — the
 * stored one at once, even with the server gone, then live updates — and
 * exits after `count` values (default: never).
 */
import { parseArgs } from "node:util";
import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { createPublicationCache, PublicationApi } from "pubcache-web/core";
import { createFileStorage, nodeDirectory } from "pubcache-web/storage/node";

const { values: args } = parseArgs({
  options: { server: { type: "string" }, id: { type: "string" }, data: { type: "string" }, count: { type: "string" } },
});
if (!args.server || !args.id || !args.data) {
  console.error("usage: node dist/follow.js --server <url> --id <id> --data <dir> [--count <n>]");
  process.exit(1);
}

const cache = createPublicationCache({
  client: createClient(PublicationApi, createGrpcWebTransport({ baseUrl: args.server, httpVersion: "1.1" })),
  device: "",
  id: args.id,
  storage: createFileStorage(nodeDirectory(args.data)),
});

let left = args.count === undefined ? Infinity : Number(args.count);
cache.subscribe(({ publication, source }) => {
  console.log(JSON.stringify({ version: publication.version, text: new TextDecoder().decode(publication.body), source }));
  if (--left <= 0) cache.close();
});
