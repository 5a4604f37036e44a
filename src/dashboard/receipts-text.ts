import type { ClientDiagnostics } from "../entries/index.js";

/** The diagnostics line when the server's access policy refuses this screen's receipts: one line, however many were refused. */
export const RECEIPTS_REFUSED_TEXT = "This sign-in may not send receipts; the server needs a role that can write publications";

/**
 * The diagnostics panel's line on this screen's receipts (acknowledgements):
 * the policy refusal when the server refuses them all, else how many were
 * sent, wait for the network, or were refused.
 */
export function describeReceipts(diagnostics: Pick<ClientDiagnostics, "receipts" | "receiptsRefusedSince">): string {
  if (diagnostics.receiptsRefusedSince !== undefined) return RECEIPTS_REFUSED_TEXT;
  const count = (status: string) => diagnostics.receipts.filter((r) => r.status === status).length;
  const parts = [
    [count("sent"), "sent"],
    [count("pending"), "waiting to be sent"],
    [count("refused"), "refused"],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return said.length === 0 ? "None sent by this screen" : said.join(", ");
}
