import { describe, expect, it } from "vitest";
import { describeStorageRecoveries } from "./storage-recovery-text.js";
import { createTimeFormat } from "./time-format.js";

const time = createTimeFormat("en-GB", "UTC");
const at = (hhmm: string) => Date.parse(`2026-03-02T${hhmm}:00Z`);
const now = at("15:00");

describe("storage recoveries in the diagnostics", () => {
  it("says none when the host found nothing lost", () => {
    expect(describeStorageRecoveries([], time, now)).toBe("None since the cache host started");
  });

  it("says when stored data was cleared and how many values went back", () => {
    const text = describeStorageRecoveries([{ storage: "database", detectedAt: at("14:02"), restoredAt: at("14:02"), restored: 4 }], time, now);
    expect(text).toBe("Stored data was cleared at 14:02; 4 values written back.");
    expect(describeStorageRecoveries([{ storage: "database", detectedAt: at("14:02"), restoredAt: at("14:02"), restored: 1 }], time, now)).toMatch(
      /; 1 value written back\.$/,
    );
    expect(describeStorageRecoveries([{ storage: "database", detectedAt: at("14:02"), restored: 0 }], time, now)).toBe(
      "Stored data was cleared at 14:02; writing values back now.",
    );
  });

  it("says when app files were lost, and whether they are back or wait for the network; the latest of each only", () => {
    const recoveries = [
      { storage: "database" as const, detectedAt: at("09:00"), restoredAt: at("09:00"), restored: 2 },
      { storage: "app-files" as const, detectedAt: at("14:02"), restored: 0 },
      { storage: "database" as const, detectedAt: at("14:02"), restoredAt: at("14:02"), restored: 4 },
    ];
    expect(describeStorageRecoveries(recoveries, time, now)).toBe(
      "Stored data was cleared at 14:02; 4 values written back. App files were lost at 14:02; they are fetched again when the network allows.",
    );
    const restored = [...recoveries.slice(0, 2), { storage: "app-files" as const, detectedAt: at("14:02"), restoredAt: at("14:05"), restored: 14 }];
    expect(describeStorageRecoveries(restored, time, now)).toBe(
      "Stored data was cleared at 09:00; 2 values written back. App files were lost at 14:02; 14 files restored at 14:05.",
    );
  });
});
