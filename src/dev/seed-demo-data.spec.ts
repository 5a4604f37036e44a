import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { manualClock, startTestServer, text } from "../server/testing.js";
import { mintVersion } from "../server/version.js";
import { seedDemoData } from "./seed-demo-data.js";

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), "seed-")), "demo");
});
afterEach(() => rm(join(dir, ".."), { recursive: true, force: true }));

describe("seedDemoData (npm start)", () => {
  it("writes the building publications a server then serves, with minted versions", async () => {
    const clock = manualClock(Date.UTC(2026, 4, 1));
    expect(await seedDemoData(dir, clock)).toEqual(["alarm-thresholds", "announcements", "site-config"]);

    const t = await startTestServer({ dataDir: dir });
    try {
      const { publications } = await t.client.listPublications({});
      expect(publications.map((p) => [p.id, p.mediaType])).toEqual([
        ["alarm-thresholds", "application/json"],
        ["announcements", "text/plain"],
        ["site-config", "application/json"],
      ]);
      for (const p of publications) expect(p.version).toBe(mintVersion(p));
      const site = JSON.parse(text(publications[2]!.body)) as { building: string; floors: unknown[]; zones: object };
      expect(site.building).toBeTruthy();
      expect(site.floors.length).toBeGreaterThan(0);
      const thresholds = JSON.parse(text(publications[0]!.body)) as { zones: Record<string, unknown> };
      expect(Object.keys(thresholds.zones).every((zone) => zone in site.zones)).toBe(true);
      expect(text(publications[1]!.body).length).toBeGreaterThan(0);
    } finally {
      await t.server.close();
    }
  });

  it("leaves a directory that already holds publications alone", async () => {
    const clock = manualClock();
    await seedDemoData(dir, clock);
    const t = await startTestServer({ dataDir: dir });
    const edited = await t.client.updatePublication({ publication: { id: "announcements", body: new TextEncoder().encode("new notice") } });
    await t.client.deletePublication({ id: "site-config" });
    await t.server.close();

    expect(await seedDemoData(dir, clock)).toEqual([]);
    const again = await startTestServer({ dataDir: dir });
    try {
      const { publications } = await again.client.listPublications({});
      expect(publications.map((p) => p.id)).toEqual(["alarm-thresholds", "announcements"]);
      expect(publications[1]!.version).toBe(edited.version);
    } finally {
      await again.server.close();
    }
  });
});
