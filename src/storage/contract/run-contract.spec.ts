import { describe, expect, it } from "vitest";
import { createMemoryStorage } from "../memory/memory-storage.js";
import type { PublicationStorage } from "../../core/publication-storage.js";
import { runStorageContract } from "./run-contract.js";
import { storageContractCases } from "./storage-contract.js";

describe("runStorageContract", () => {
  it("passes every case for a correct storage", async () => {
    const results = await runStorageContract([{ name: "memory", make: async () => createMemoryStorage() }]);
    expect(results).toHaveLength(storageContractCases.length);
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });

  it("reports, without stopping, the cases a broken storage fails", async () => {
    // Forgets every value: whatever was stored is never found again.
    const forgetful = async (): Promise<PublicationStorage> => {
      const real = createMemoryStorage();
      return { ...real, store: async (p) => (p.id === "" ? real.store(p) : undefined) };
    };
    const results = await runStorageContract([{ name: "forgetful", make: forgetful }]);
    expect(results).toHaveLength(storageContractCases.length);
    const failed = results.filter((r) => !r.passed);
    expect(failed.map((r) => r.case)).toContain("store replaces the value with the same id");
    expect(failed.every((r) => r.subject === "forgetful" && typeof r.error === "string")).toBe(true);
    expect(results.find((r) => r.case === "store rejects an empty id as invalid")?.passed).toBe(true);
  });
});
