import type { PublicationStorage } from "../../core/publication-storage.js";
import { storageContractCases, type StorageContractCase } from "./storage-contract.js";

/** A storage implementation to check: `make` returns a new, empty storage. */
export interface ContractSubject {
  readonly name: string;
  readonly make: () => Promise<PublicationStorage>;
}

export interface ContractResult {
  readonly subject: string;
  readonly case: string;
  readonly passed: boolean;
  /** Why it failed (`name: message`), when it did. */
  readonly error?: string;
}

/**
 * Runs every contract case against every subject, one at a time, and
 * reports each outcome instead of stopping at the first failure. Framework
 * free, for running the suite where Vitest does not go (a page in real
 * Chromium driven by Playwright: bundle this, call it, assert on the result).
 */
export async function runStorageContract(
  subjects: readonly ContractSubject[],
  cases: ReadonlyArray<StorageContractCase> = storageContractCases,
): Promise<ContractResult[]> {
  const results: ContractResult[] = [];
  for (const subject of subjects) {
    for (const contractCase of cases) {
      try {
        await contractCase.run(subject.make);
        results.push({ subject: subject.name, case: contractCase.name, passed: true });
      } catch (err) {
        const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        results.push({ subject: subject.name, case: contractCase.name, passed: false, error });
      }
    }
  }
  return results;
}
