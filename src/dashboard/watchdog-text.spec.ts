import { describe, expect, it } from "vitest";
import { describeWatchdogEvents } from "./watchdog-text.js";
import type { TimeFormat } from "./time-format.js";

const time: TimeFormat = { relative: () => "", clock: (at) => `T${at}`, weekdayClock: (at) => `D T${at}` };
const url = "https://kiosk.test/";

describe("describeWatchdogEvents", () => {
  it("says when the watchdog reloaded the screen, and when it held back", () => {
    expect(describeWatchdogEvents([], time, 0)).toBe("No reload needed");
    const reloaded = { url, at: 1, action: "reloaded" as const, silentMs: 15_200 };
    expect(describeWatchdogEvents([reloaded], time, 9)).toBe("Reloaded by the watchdog at T1 (no answer for 15 seconds).");
    expect(describeWatchdogEvents([reloaded, { url, at: 5, action: "held-back", silentMs: 16_000 }], time, 9)).toBe(
      "Reloaded by the watchdog at T1 (no answer for 15 seconds). Stopped answering again at T5; not reloaded: once per 10 minutes at most.",
    );
  });
});
