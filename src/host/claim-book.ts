import { refKey } from "../protocol/ref-keys.js";
import type { PublicationRef } from "../protocol/publication-ref.js";

/**
 * Who needs which ref: a reference count per ref, kept as the set of client
 * (tab) ids that claim it, so a repeated subscribe or heartbeat from one tab
 * never counts twice and a tab that vanishes can be released as a whole.
 */
export class ClaimBook {
  private readonly holdersByRef = new Map<string, Set<string>>();
  private readonly refsByClient = new Map<string, Map<string, PublicationRef>>();

  /** Adds the claim; true when the ref had no holder before. */
  claim(clientId: string, ref: PublicationRef): boolean {
    const key = refKey(ref);
    let holders = this.holdersByRef.get(key);
    const first = holders === undefined || holders.size === 0;
    if (!holders) this.holdersByRef.set(key, (holders = new Set()));
    holders.add(clientId);
    let refs = this.refsByClient.get(clientId);
    if (!refs) this.refsByClient.set(clientId, (refs = new Map<string, PublicationRef>()));
    refs.set(key, ref);
    return first;
  }

  /** Removes the claim; true when that was the ref's last holder. */
  release(clientId: string, ref: PublicationRef): boolean {
    const key = refKey(ref);
    const refs = this.refsByClient.get(clientId);
    refs?.delete(key);
    if (refs?.size === 0) this.refsByClient.delete(clientId);
    const holders = this.holdersByRef.get(key);
    if (!holders?.delete(clientId)) return false;
    if (holders.size > 0) return false;
    this.holdersByRef.delete(key);
    return true;
  }

  /** Removes every claim of a client; returns the refs that lost their last holder. */
  releaseClient(clientId: string): PublicationRef[] {
    const refs = [...(this.refsByClient.get(clientId)?.values() ?? [])];
    return refs.filter((ref) => this.release(clientId, ref));
  }

  /**
   * Makes the client's claims exactly `refs` (a heartbeat carries the whole
   * list). Returns the refs that gained their first holder and those that
   * lost their last.
   */
  sync(clientId: string, refs: readonly PublicationRef[]): { gained: PublicationRef[]; lost: PublicationRef[] } {
    const wanted = new Map(refs.map((ref) => [refKey(ref), ref]));
    const lost: PublicationRef[] = [];
    for (const [key, ref] of [...(this.refsByClient.get(clientId) ?? [])]) {
      if (!wanted.has(key) && this.release(clientId, ref)) lost.push(ref);
    }
    const gained = [...wanted.values()].filter((ref) => this.claim(clientId, ref));
    return { gained, lost };
  }

  /** How many clients claim the ref. */
  holders(ref: PublicationRef): number {
    return this.holdersByRef.get(refKey(ref))?.size ?? 0;
  }

  /** True when the client holds at least one claim. */
  knows(clientId: string): boolean {
    return this.refsByClient.has(clientId);
  }
}
