// Which folder may import which: the architecture, checked on every CI run
// (`npm run lint:deps`). Imports run one way:
//   gen ← core ← storage, platform ← protocol ← host ← sw, client ← dashboard ← app
//   core, platform ← auth (token providers; the dashboard and app use its entry)
// plus the development server and `npm start`, which sit beside the cache.
// Specs and `testing/` folders may import what they test and each other.
const PRODUCTION = "^src/(?!.*\\.spec\\.ts$)(?!.*/testing/)";
const prod = (folder) => `${PRODUCTION}${folder}/`;
const TESTS = "(\\.spec\\.ts$|/testing/)";

/** A rule that `from` production code in `folder` may not import any `to`. */
const only = (name, folder, allowedPattern, comment) => ({
  name,
  comment,
  severity: "error",
  from: { path: prod(folder) },
  to: { path: "^src/", pathNot: allowedPattern },
});

module.exports = {
  forbidden: [
    only("gen-is-generated", "gen", "^src/gen/", "Generated code imports nothing of ours."),
    only("core-is-pure", "core", "^src/(core|gen)/", "The core owns its contracts; storages, hosts and runtimes depend on it, never the reverse."),
    {
      name: "core-has-no-node-builtins",
      comment: "The core runs unchanged in a browser: no node: modules.",
      severity: "error",
      from: { path: prod("core") },
      to: { dependencyTypes: ["core"] },
    },
    only("platform-on-core", "platform", "^src/(core|platform)/", "The runtime's clock and random source implement the core's interfaces."),
    only("storage-on-core", "storage", "^src/(core|gen|platform|storage)/", "Storages implement the core's contract and know nothing of hosts or pages."),
    only("protocol-on-core", "protocol", "^src/(core|gen|protocol)/", "The worker-page messages describe core values; they know no runtime."),
    only("host-on-storage-and-protocol", "host", "^src/(core|gen|platform|storage|protocol|host)/", "The host runtime is shared by the worker and the leader tab: it knows neither."),
    {
      name: "host-through-the-feed",
      comment:
        "The host follows publications only through the device feed (want / unwant / listen): never the per-publication engine, its held values or loops. " +
        "Beside the feed it may use the core's contracts and value types (clock, logger, random, backoff options, snapshots, storage errors), a value's one encoding and its comparison (encoded-publication, same-encoding), and the receipt sender with its outbox contract.",
      severity: "error",
      from: { path: prod("host") },
      to: { path: "^src/core/", pathNot: "^src/core/(feed/device-feed|receipts/receipt-(sender|outbox)|cache-types|clock|logger|random|backoff|storage-error|encoded-publication|same-encoding)\\.ts$" },
    },
    only("worker-on-host", "sw", "^src/(core|gen|platform|protocol|host|sw)/", "The service worker runs the host."),
    only("client-on-protocol", "client", "^src/(core/|gen/|platform/|protocol/|storage/idb/|storage/storage-scope\\.ts$|host/|client/)", "The page client talks the protocol; only its leader tab runs the host (loaded on demand)."),
    {
      name: "page-client-without-protobuf-runtime",
      comment: "Pages decode with the hand-written decoder: the generated code (and the protobuf runtime it loads) only as types.",
      severity: "error",
      from: { path: prod("client") },
      to: { path: "^src/gen/", dependencyTypesNot: ["type-only"] },
    },
    only("auth-on-core", "auth", "^src/(core|platform|auth)/", "Token providers use the core's contracts (clock, random, logger, backoff) and the runtime's; they know neither hosts nor pages."),
    only("dashboard-on-page-client", "dashboard", "^src/(dashboard/|entries/(index|auth)\\.ts$)", "The kiosk dashboard is an embedder: the public entries of the page client and the token providers only."),
    only("app-on-dashboard", "app", "^src/(app/|dashboard/|entries/(index|auth)\\.ts$)", "The app wires the dashboard to the page client and the sign-in."),
    only("vue-on-page-client", "vue", "^src/(vue/|entries/index\\.ts$)", "Bindings are thin adapters of the public page client."),
    only("react-on-page-client", "react", "^src/(react/|entries/index\\.ts$)", "Bindings are thin adapters of the public page client."),
    only("protobuf-lite-alone", "protobuf-lite", "^src/protobuf-lite/", "The worker's lite protobuf runtime stands in for protobuf-es: it imports protobuf-es's wire codec, nothing of ours."),
    only("vite-plugin-alone", "vite", "^src/(vite|protobuf-lite)/", "The build plugin runs in the embedder's build, apart from everything else (it reads descriptors ahead with the lite runtime's reader)."),
    only("server-beside-the-cache", "server", "^src/(core|gen|platform|storage/file|server)/", "The development server shares contracts and file storage, never the cache's runtimes."),
    only("dev-on-server", "dev", "^src/(core|gen|platform|storage/file|server|dev)/", "`npm start` runs the server and serves the built app."),
    {
      name: "entries-are-leaves",
      comment: "The package's entry modules are for embedders; inside, only the app, the dashboard and the bindings use the page client's.",
      severity: "error",
      from: { path: PRODUCTION, pathNot: "^src/(app|dashboard|vue|react|entries)/" },
      to: { path: "^src/entries/" },
    },
    {
      name: "no-test-code-in-production",
      comment: "Fakes and specs never ship.",
      severity: "error",
      from: { path: PRODUCTION },
      to: { path: TESTS },
    },
    {
      name: "no-circular",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/gen-" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".js", ".d.ts"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
