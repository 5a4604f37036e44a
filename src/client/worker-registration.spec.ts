// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import type { WorkerProblem } from "./worker-problem.js";
import { registerCacheWorker } from "./worker-registration.js";

/** A `navigator.serviceWorker` whose `register()` answers what the test says. */
function fakeContainer(register: () => Promise<unknown>) {
  const registration = { active: null, waiting: null, installing: null, addEventListener() {}, removeEventListener() {} };
  return {
    controller: null as object | null,
    register: vi.fn(async () => {
      await register();
      return registration;
    }),
    getRegistration: async () => registration,
    addEventListener() {},
    removeEventListener() {},
  };
}

function inBrowser(options: { secure: boolean; container?: ReturnType<typeof fakeContainer> }) {
  vi.stubGlobal("isSecureContext", options.secure);
  vi.stubGlobal("navigator", { ...navigator, serviceWorker: options.container });
}

function register() {
  const problems: Array<WorkerProblem | undefined> = [];
  const registration = registerCacheWorker("/sw.js", { onControllerChange: () => {}, onProblem: (p) => void problems.push(p) });
  return { registration, problems };
}

afterEach(() => vi.unstubAllGlobals());

describe("registering the cache's worker tells its caller why it cannot", () => {
  it("says insecure-context at once, and registers nothing, on a page that is not a secure context", () => {
    inBrowser({ secure: false });
    const { registration, problems } = register();
    expect(registration).toBeUndefined();
    expect(problems.map((p) => p?.kind)).toEqual(["insecure-context"]);
  });

  it("says unsupported at once on a secure page without service workers", () => {
    inBrowser({ secure: true });
    const { registration, problems } = register();
    expect(registration).toBeUndefined();
    expect(problems.map((p) => p?.kind)).toEqual(["unsupported"]);
  });

  it("says certificate-not-trusted when the browser refuses the script for the site's certificate; clears it when a later registration succeeds", async () => {
    const refusal = new DOMException(
      "Failed to register a ServiceWorker for scope ('https://kiosk.test:8080/') with script ('https://kiosk.test:8080/sw.js'): An SSL certificate error occurred when fetching the script.",
      "SecurityError",
    );
    let refuse = true;
    const container = fakeContainer(async () => {
      if (refuse) throw refusal;
    });
    inBrowser({ secure: true, container });
    const { registration, problems } = register();
    expect(registration).toBeDefined();
    await vi.waitFor(() => expect(problems).toHaveLength(1));
    expect(problems[0]).toEqual({ kind: "certificate-not-trusted", message: `SecurityError: ${refusal.message}` });
    // The CA installed and the network back: the retry succeeds.
    refuse = false;
    dispatchEvent(new Event("online"));
    await vi.waitFor(() => expect(problems).toHaveLength(2));
    expect(problems[1]).toBeUndefined();
    expect(container.register).toHaveBeenCalledTimes(2);
    registration!.close();
  });

  it("says registration-failed, with the browser's message, for any other failure", async () => {
    inBrowser({ secure: true, container: fakeContainer(() => Promise.reject(new TypeError("Failed to fetch"))) });
    const { registration, problems } = register();
    await vi.waitFor(() => expect(problems).toEqual([{ kind: "registration-failed", message: "TypeError: Failed to fetch" }]));
    registration!.close();
  });

  it("tells its caller of a controller that took over while the registration's own chunk was loading", async () => {
    const container = fakeContainer(async () => {});
    inBrowser({ secure: true, container });
    let changes = 0;
    const registration = registerCacheWorker("/sw.js", { onControllerChange: () => void (changes += 1), onProblem: () => {} });
    // Claimed before the chunk arrived: no controllerchange listener heard it.
    container.controller = {};
    await vi.waitFor(() => expect(container.register).toHaveBeenCalled());
    expect(changes).toBe(1);
    registration!.close();
  });

  it("reports no problem (undefined, once) when the registration succeeds", async () => {
    inBrowser({ secure: true, container: fakeContainer(async () => {}) });
    const { registration, problems } = register();
    await vi.waitFor(() => expect(problems).toEqual([undefined]));
    registration!.close();
  });
});
