import { describe, expect, it } from "vitest";
import { allowedNames, hostName, isNameAllowed, refuseOtherNames } from "./allowed-names.js";

describe("the names the dashboard server answers to", () => {
  const allowed = allowedNames(["Kiosk.Test", "vm"]);

  it("reads the name of a Host header with or without a port, IPv6 in brackets", () => {
    expect(hostName("kiosk.test:8080")).toBe("kiosk.test");
    expect(hostName("KIOSK.test")).toBe("kiosk.test");
    expect(hostName("[::1]:8080")).toBe("::1");
    expect(hostName("10.0.0.5")).toBe("10.0.0.5");
  });

  it("answers the given names, loopback and any IP address; nothing else", () => {
    for (const host of ["kiosk.test:8080", "vm", "localhost:1", "127.0.0.1:8080", "[::1]:8080", "192.168.4.20:8080", "app.localhost"]) {
      expect(isNameAllowed(host, allowed), host).toBe(true);
    }
    for (const host of ["evil.example", "kiosk.test.evil.example:8080", undefined]) expect(isNameAllowed(host, allowed), String(host)).toBe(false);
  });

  it("refuses another name with a 403 that says which flag to pass", () => {
    let status = 0;
    let body = "";
    let passed = false;
    const res = { writeHead: (s: number) => void (status = s), end: (b: string) => void (body = b) };
    const middleware = refuseOtherNames(allowed, "npm start --");
    middleware({ headers: { host: "wall-3.site:8080" } } as never, res as never, () => void (passed = true));
    expect(passed).toBe(false);
    expect(status).toBe(403);
    expect(body).toContain('does not answer to the name "wall-3.site"');
    expect(body).toContain("npm start -- --name wall-3.site");
    expect(body).not.toContain("vite.config");

    middleware({ headers: { ":authority": "kiosk.test:8080" } } as never, res as never, () => void (passed = true));
    expect(passed).toBe(true); // HTTP/2: the name is in :authority
  });
});
