import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { build, type Rolldown } from "vite";
import type { ContractResult } from "./browser/storage-contract-entry.js";
import { appUrl } from "./support/app-page.js";

/** The contract cases plus both browser storages as one classic script. */
async function bundleContract(): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: "silent",
    build: {
      write: false,
      minify: false,
      lib: {
        entry: fileURLToPath(new URL("./browser/storage-contract-entry.ts", import.meta.url)),
        formats: ["iife"],
        name: "storageContract",
      },
    },
  });
  const result = (Array.isArray(output) ? output[0] : output) as Rolldown.RolldownOutput;
  const chunk = result.output.find((file) => file.type === "chunk");
  if (!chunk || chunk.type !== "chunk") throw new Error("the contract bundle has no code");
  return chunk.code;
}

test("10. the storage contract suite and the OPFS file storage pass in real Chromium", async ({ page }) => {
  const code = await bundleContract();
  // Any page of the app's origin (a secure context, as OPFS requires); no worker, no ids.
  await page.goto(appUrl({ server: "http://127.0.0.1:1", ids: [], sw: false }));
  await page.addScriptTag({ content: code });
  const results = await page.evaluate(
    () => (window as unknown as { storageContract: { runStorageContract(): Promise<ContractResult[]> } }).storageContract.runStorageContract(),
  );

  expect(results.filter((r) => r.storage === "indexeddb").length).toBeGreaterThan(5);
  expect(results.filter((r) => r.storage === "opfs").length).toBe(results.filter((r) => r.storage === "indexeddb").length);
  expect(results.filter((r) => r.error !== undefined)).toEqual([]);
});

test("10. the OPFS file storage of pubcache-web/storage passes the storage contract in a dedicated worker", async ({ page }) => {
  const code = await bundleContract();
  await page.goto(appUrl({ server: "http://127.0.0.1:1", ids: [], sw: false }));
  // A worker of the app's origin (from a blob: URL) that runs the same bundle: OPFS as a worker of your own sees it.
  const results = await page.evaluate(async (bundle) => {
    const script = `${bundle}\nself.onmessage = async () => self.postMessage(await storageContract.runStorageContract(["opfs"]));`;
    const worker = new Worker(URL.createObjectURL(new Blob([script], { type: "text/javascript" })));
    try {
      return await new Promise<ContractResult[]>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<ContractResult[]>) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(event.message));
        worker.postMessage("run");
      });
    } finally {
      worker.terminate();
    }
  }, code);

  expect(results.length).toBeGreaterThan(5);
  expect(results.every((r) => r.storage === "opfs")).toBe(true);
  expect(results.filter((r) => r.error !== undefined)).toEqual([]);
});
