import { describe, expect, it } from "vitest";
import { MAX_STORAGE_RECOVERIES } from "../protocol/messages.js";
import { createRecoveryLog } from "./recovery-log.js";

describe("recovery log", () => {
  it("records a recovery when it starts and updates it in place when it ends, telling listeners each time", () => {
    const log = createRecoveryLog();
    const changes: unknown[] = [];
    log.onChange((recovery) => changes.push(recovery));
    const finish = log.begin({ storage: "app-files", detectedAt: 10, restored: 0 });
    expect(log.entries()).toEqual([{ storage: "app-files", detectedAt: 10, restored: 0 }]);
    finish({ restoredAt: 20, restored: 14 });
    expect(log.entries()).toEqual([{ storage: "app-files", detectedAt: 10, restoredAt: 20, restored: 14 }]);
    expect(changes).toEqual([
      { storage: "app-files", detectedAt: 10, restored: 0 },
      { storage: "app-files", detectedAt: 10, restoredAt: 20, restored: 14 },
    ]);
  });

  it("keeps the newest entries only, and an update to one pushed out is no news", () => {
    const log = createRecoveryLog();
    const first = log.begin({ storage: "database", detectedAt: 0, restored: 0 });
    for (let i = 1; i <= MAX_STORAGE_RECOVERIES; i++) log.begin({ storage: "database", detectedAt: i, restored: 0 });
    expect(log.entries()).toHaveLength(MAX_STORAGE_RECOVERIES);
    expect(log.entries()[0]?.detectedAt).toBe(1);
    let changes = 0;
    const stop = log.onChange(() => changes++);
    first({ restored: 3 });
    expect(changes).toBe(0);
    stop();
    log.begin({ storage: "database", detectedAt: 99, restored: 0 });
    expect(changes).toBe(0);
  });
});
