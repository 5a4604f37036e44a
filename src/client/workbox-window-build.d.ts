/**
 * workbox-window's ES2017 build, the one its package.json names as primary
 * (`workbox.primaryBuild`). Its `module` field points bundlers at the ES5
 * build instead, whose transpiled async code adds ~0.9 kB gzipped to the
 * page client — for browsers too old to have service workers anyway.
 * Same API and behaviour; the types are the package's.
 */
declare module "workbox-window/build/workbox-window.prod.mjs" {
  export * from "workbox-window";
}
