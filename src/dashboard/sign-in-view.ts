import type { AuthState } from "../entries/auth.js";
import type { TimeFormat } from "./time-format.js";

/**
 * What the sign-in panel says. It always sits over the cards (which keep
 * the last data they had), never instead of them:
 * - `code`: a person must approve this screen: the address, the code, a QR code of the complete address;
 * - `getting-code`: asking the identity provider for a code (or failing to reach it);
 * - `not-allowed`: signed in, but the server refuses some publications (PERMISSION_DENIED):
 *   not a sign-in problem, so no code — someone must grant this screen's account access;
 * - `hidden`: nothing to say.
 */
export type SignInView =
  | { readonly kind: "hidden" }
  | {
      readonly kind: "code";
      readonly title: string;
      readonly userCode: string;
      readonly verificationUri: string;
      /** What the QR code encodes: the address with the code in it, when the server gave one. */
      readonly qrText: string | undefined;
      readonly validity: string;
      readonly note: string | undefined;
    }
  | { readonly kind: "getting-code"; readonly title: string; readonly detail: string }
  | { readonly kind: "not-allowed"; readonly title: string; readonly detail: string };

const TITLE = "Sign in this screen";

/**
 * The panel's content from the sign-in state (`undefined`: this screen has
 * no sign-in of its own, e.g. a fixed token) and the titles of the
 * publications the server refused with PERMISSION_DENIED.
 */
export function signInView(auth: AuthState | undefined, deniedTitles: readonly string[], now: number, time: TimeFormat): SignInView {
  switch (auth?.kind) {
    case "waiting-for-user":
      return {
        kind: "code",
        title: TITLE,
        userCode: auth.userCode,
        verificationUri: auth.verificationUri,
        qrText: auth.verificationUriComplete,
        validity: `This code works until ${time.clock(auth.expiresAt, now)}; a new one appears by itself.`,
        note:
          auth.problem?.code === "access_denied"
            ? "The last sign-in was refused."
            : auth.problem?.code === "expired_token"
              ? "The last code expired before anyone used it."
              : undefined,
      };
    case "signing-in": {
      if (!auth.problem) return { kind: "getting-code", title: TITLE, detail: "Getting a sign-in code…" };
      const seconds = auth.nextAttemptAt === undefined ? 0 : Math.ceil((auth.nextAttemptAt - now) / 1000);
      return {
        kind: "getting-code",
        title: TITLE,
        detail: `The sign-in service cannot be reached. ${seconds > 0 ? `Trying again in ${seconds} s.` : "Trying again…"}`,
      };
    }
    case "signed-in":
    case "refresh-failed":
    case undefined:
      if (deniedTitles.length === 0) return { kind: "hidden" };
      return {
        kind: "not-allowed",
        title: `This screen is signed in but not allowed to see ${listOf(deniedTitles)}.`,
        detail: "Ask an administrator to give this screen's account access. What is shown is the last data it was allowed to see.",
      };
    default:
      return { kind: "hidden" };
  }
}

function listOf(titles: readonly string[]): string {
  if (titles.length === 1) return titles[0]!;
  return `${titles.slice(0, -1).join(", ")} and ${titles.at(-1)!}`;
}
