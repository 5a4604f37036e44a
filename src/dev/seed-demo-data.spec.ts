import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, extname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { manualClock, startTestServer, text } from "../server/testing/test-server.js";
import { mintVersion } from "../server/version.js";
import { Publication_Audience_Receipt as Receipt } from "../gen/smartcore/traits/publication_pb.js";
import { SEED_DIRECTORY, screenConfigId, seedDemoData } from "./seed-demo-data.js";

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), "seed-")), "demo");
});
afterEach(() => rm(join(dir, ".."), { recursive: true, force: true }));

describe("seedDemoData (npm start)", () => {
  it("writes one publication per seed file, served with minted versions, including the building basics", async () => {
    const clock = manualClock(Date.UTC(2026, 4, 1));
    const seedFiles = (await readdir(SEED_DIRECTORY, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith(".")).map((e) => e.name).sort();
    const screenFiles = (await readdir(join(SEED_DIRECTORY, "screens"))).sort();
    const ids = await seedDemoData(dir, clock);
    expect(ids).toEqual([
      ...seedFiles.map((file) => basename(file, extname(file))),
      ...screenFiles.map((file) => screenConfigId(basename(file, extname(file)))),
    ]);
    expect(ids).toEqual(expect.arrayContaining(["site-config", "alarm-thresholds", "announcements"]));

    const t = await startTestServer({ dataDir: dir });
    try {
      const { publications } = await t.client.listPublications({});
      expect(publications.map((p) => p.id)).toEqual([...ids].sort());
      for (const p of publications) expect(p.version).toBe(mintVersion(p));
      const byId = new Map(publications.map((p) => [p.id, p]));
      expect(byId.get("site-config")!.mediaType).toBe("application/json");
      expect(byId.get("alarm-thresholds")!.mediaType).toBe("application/json");
      expect(byId.get("announcements")!.mediaType).toBe("text/plain");
      const site = JSON.parse(text(byId.get("site-config")!.body)) as { building: string; floors: unknown[]; zones: object };
      expect(site.building).toBeTruthy();
      expect(site.floors.length).toBeGreaterThan(0);
      const thresholds = JSON.parse(text(byId.get("alarm-thresholds")!.body)) as { zones: Record<string, unknown> };
      expect(Object.keys(thresholds.zones).every((zone) => zone in site.zones)).toBe(true);
      expect(text(byId.get("announcements")!.body).length).toBeGreaterThan(0);
      // Each demo screen's configuration is addressed to it, with no receipt yet.
      const lobby = byId.get("lobby-display:config")!;
      expect(lobby.audience?.name).toBe("lobby-display");
      expect(lobby.audience?.receipt).toBe(Receipt.NO_SIGNAL);
      expect((JSON.parse(text(lobby.body)) as { title: string }).title).toBe("Lobby display");
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
      expect(publications.map((p) => p.id)).not.toContain("site-config");
      expect(publications.find((p) => p.id === "announcements")!.version).toBe(edited.version);
    } finally {
      await again.server.close();
    }
  });
});
