import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { readTlsFlags } from "./tls-command-line.js";

describe("the HTTPS flags", () => {
  it("--tls asks for a development certificate for loopback, this machine, the interface and every --name", () => {
    expect(readTlsFlags({ tls: true, name: ["kiosk.test", "10.0.0.5"] }, "192.168.1.9")).toEqual({
      kind: "development",
      names: ["localhost", "127.0.0.1", "::1", hostname(), "kiosk.test", "10.0.0.5", "192.168.1.9"],
    });
    // A wildcard interface is no name.
    expect(readTlsFlags({ tls: true }, "0.0.0.0")).toEqual({ kind: "development", names: ["localhost", "127.0.0.1", "::1", hostname()] });
  });

  it("--cert and --key use the site's own files, with or without --tls", () => {
    expect(readTlsFlags({ cert: "c.pem", key: "k.pem" }, "0.0.0.0")).toEqual({ kind: "files", certPath: "c.pem", keyPath: "k.pem" });
    expect(readTlsFlags({ tls: true, cert: "c.pem", key: "k.pem" }, "0.0.0.0")).toMatchObject({ kind: "files" });
  });

  it("is plain http without them; a --name alone only names the host", () => {
    expect(readTlsFlags({}, "127.0.0.1")).toBeUndefined();
    expect(readTlsFlags({ name: ["kiosk.test"] }, "0.0.0.0")).toBeUndefined();
  });

  it("refuses combinations that cannot work, in one line", () => {
    expect(() => readTlsFlags({ cert: "c.pem" }, "h")).toThrow("--cert and --key go together");
    expect(() => readTlsFlags({ key: "k.pem" }, "h")).toThrow("--cert and --key go together");
    expect(() => readTlsFlags({ cert: "c", key: "k", name: ["x"] }, "h")).toThrow(/certificate's own names/);
    expect(() => readTlsFlags({ tls: true, name: [" "] }, "h")).toThrow("--name must not be empty");
  });
});
