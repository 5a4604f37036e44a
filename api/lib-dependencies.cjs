// What the built package (lib/) may import, checked on the output itself by
// `npm run lint:package` — the imports an embedder's install must satisfy:
// - only packages package.json declares, never a devDependency;
// - an optional peer only from the entry that needs it, so that importing
//   `pubcache-web` never needs Vue, and `pubcache-web/vite` is the only
//   thing that needs Vite.
// (src/ has its own rules: .dependency-cruiser.cjs.)
const peerOnlyFrom = (name, packages, folder) => ({
  name,
  comment: `${packages} is an optional peer: only ${folder} may import it.`,
  severity: "error",
  from: { path: "^lib/", pathNot: `^${folder}` },
  to: { path: `(^|/)node_modules/(${packages})/` },
});

module.exports = {
  forbidden: [
    {
      name: "declared-packages-only",
      comment: "Every package the library imports is in dependencies or peerDependencies.",
      severity: "error",
      from: { path: "^lib/" },
      // dependency-cruiser also tags peers "npm-no-pkg" (they are not in `dependencies`).
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown", "unknown", "undetermined"], dependencyTypesNot: ["npm", "npm-peer"] },
    },
    {
      name: "no-dev-dependencies",
      comment: "An embedder's install has no devDependencies of ours.",
      severity: "error",
      from: { path: "^lib/" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["npm-peer", "npm"] },
    },
    { name: "resolvable", severity: "error", from: { path: "^lib/" }, to: { couldNotResolve: true } },
    peerOnlyFrom("vue-only-in-vue", "vue|@vue", "lib/vue/"),
    peerOnlyFrom("react-only-in-react", "react|react-dom", "lib/react/"),
    peerOnlyFrom("vite-only-in-vite", "vite|vite-plugin-pwa", "lib/vite/"),
    peerOnlyFrom("lmdb-only-in-lmdb", "lmdb", "lib/storage/lmdb/"),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    moduleSystems: ["es6"],
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "node", "default"],
      mainFields: ["module", "main"],
      extensions: [".js"],
    },
  },
};
