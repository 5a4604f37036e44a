/**
 * The part of selenium-webdriver 4.46 the WebKit session uses. The package
 * ships no types and @types/selenium-webdriver is not a dependency; these
 * declarations follow the package's JSDoc (lib/webdriver.js,
 * remote/index.js, net/portprober.js) for exactly the calls we make.
 */
declare module "selenium-webdriver" {
  export class Builder {
    usingServer(url: string): this;
    withCapabilities(capabilities: Record<string, unknown>): this;
    build(): WebDriver;
  }

  export interface Capabilities {
    get(name: string): unknown;
  }

  export interface WebDriver {
    get(url: string): Promise<void>;
    navigate(): { refresh(): Promise<void> };
    /** Runs `script` (a function is sent as its source) in the current window; a returned promise is awaited. */
    executeScript<T>(script: string | ((...args: never[]) => unknown), ...args: unknown[]): Promise<T>;
    getWindowHandle(): Promise<string>;
    getAllWindowHandles(): Promise<string[]>;
    switchTo(): { window(handle: string): Promise<void>; newWindow(type: "tab" | "window"): Promise<void> };
    getCapabilities(): Promise<Capabilities>;
    /** Closes the current window. */
    close(): Promise<void>;
    quit(): Promise<void>;
  }
}

declare module "selenium-webdriver/remote/index.js" {
  export interface ServiceOptions {
    port: number;
    hostname?: string;
    args?: string[];
    env?: Record<string, string | undefined>;
    stdio?: "ignore" | "inherit" | "pipe";
  }

  /** A WebDriver server executable run as a child process (killed when this process exits). */
  export class DriverService {
    constructor(executable: string, options: ServiceOptions);
    /** Resolves to the server's URL once it accepts requests. */
    start(timeoutMs?: number): Promise<string>;
    kill(): Promise<void>;
  }
}

declare module "selenium-webdriver/net/portprober.js" {
  export function findFreePort(): Promise<number>;
}
