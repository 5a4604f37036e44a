import type { IncomingMessage, ServerResponse } from "node:http";
import type { Accounts } from "./accounts.js";
import type { DecideOutcome, DeviceAuthorizations, DeviceDecision } from "./device-authorizations.js";
import type { IdentityProviderEndpoints } from "./endpoints.js";
import { checkedParams, FormError, readForm } from "./form-body.js";
import { replyJson } from "./replies.js";
import type { Route } from "./route-table.js";
import { renderVerificationPage, type VerificationView } from "./verification-page.js";

export interface ApprovalRouteDeps {
  readonly paths: IdentityProviderEndpoints;
  readonly realm: string;
  readonly accounts: Accounts;
  readonly devices: DeviceAuthorizations;
  readonly log: (line: string) => void;
}

/** Status and words for each way deciding can go, shared by the page and the machine endpoints. */
const REFUSALS: Record<Exclude<DecideOutcome["kind"], "decided">, { status: number; error: string; text: string }> = {
  unknown: { status: 404, error: "unknown_user_code", text: "No sign-in is waiting for that code. Check the code on the screen." },
  expired: { status: 410, error: "expired_user_code", text: "That code has expired. Start the sign-in again on the screen." },
  "already-decided": { status: 409, error: "already_decided", text: "That code was already approved or denied." },
};

/**
 * Where people (or tests) decide a device sign-in: the HTML verification
 * page (GET shows the form, prefilled from `?user_code=`; POST approves or
 * denies) and the machine endpoints `POST /auth/approve` and `/auth/deny`
 * (parameters `user_code` and, to approve, `user` — default the first
 * configured user — in the query or a form body), which answer JSON.
 */
export function createApprovalRoutes(deps: ApprovalRouteDeps): Map<string, Route> {
  const { accounts, devices, paths } = deps;
  const defaultUser = accounts.usernames()[0];

  /** Decides, logs (never the code) and says how it went. */
  function decide(userCode: string, action: "approve" | "deny", username: string | undefined): DecideOutcome | { kind: "unknown-user" } {
    let decision: DeviceDecision = { kind: "deny" };
    if (action === "approve") {
      const user = accounts.user(username ?? defaultUser ?? "");
      if (user === undefined) return { kind: "unknown-user" };
      decision = { kind: "approve", user };
    }
    const outcome = devices.decide(userCode, decision);
    if (outcome.kind === "decided") {
      const as = decision.kind === "approve" ? ` as ${JSON.stringify(decision.user.username)}` : "";
      deps.log(`auth: device sign-in ${action === "approve" ? "approved" : "denied"}${as} client=${JSON.stringify(outcome.clientId)}`);
    }
    return outcome;
  }

  const page = (res: ServerResponse, status: number, view: Partial<VerificationView>) => {
    const html = renderVerificationPage({
      action: paths.verification,
      realm: deps.realm,
      userCode: "",
      usernames: accounts.usernames(),
      selectedUser: defaultUser,
      notice: undefined,
      ...view,
    });
    res
      .writeHead(status, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        // Nothing to load, nothing to frame, the form posts only here.
        "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      })
      .end(html);
  };

  const machine = (action: "approve" | "deny"): Route => ({
    async POST(req, res, url) {
      const params = await machineParams(req, url);
      if (params instanceof FormError) return replyJson(res, 400, { error: "invalid_request", error_description: params.message });
      const userCode = params.get("user_code") ?? "";
      if (userCode === "") return replyJson(res, 400, { error: "invalid_request", error_description: "user_code is required" });
      const outcome = decide(userCode, action, params.get("user") ?? undefined);
      if (outcome.kind === "unknown-user") return replyJson(res, 400, { error: "invalid_request", error_description: "no such user" });
      if (outcome.kind !== "decided") {
        const refusal = REFUSALS[outcome.kind];
        return replyJson(res, refusal.status, { error: refusal.error, error_description: refusal.text });
      }
      const user = action === "approve" ? (params.get("user") ?? defaultUser) : undefined;
      replyJson(res, 200, { decision: action === "approve" ? "approved" : "denied", client: outcome.clientId, ...(user ? { user } : {}) });
    },
  });

  return new Map<string, Route>([
    [
      paths.verification,
      {
        async GET(_req, res, url) {
          page(res, 200, { userCode: url.searchParams.get("user_code") ?? "" });
        },
        async POST(req, res) {
          let params: URLSearchParams;
          try {
            params = await readForm(req);
          } catch (err) {
            if (!(err instanceof FormError)) throw err;
            return page(res, 400, { notice: { kind: "error", text: err.message } });
          }
          const userCode = params.get("user_code") ?? "";
          const action = params.get("action");
          const username = params.get("user") ?? undefined;
          const again = { userCode, selectedUser: username ?? defaultUser };
          if (userCode.trim() === "") return page(res, 400, { ...again, notice: { kind: "error", text: "Enter the code the screen shows." } });
          if (action !== "approve" && action !== "deny") {
            return page(res, 400, { ...again, notice: { kind: "error", text: "Choose Approve or Deny." } });
          }
          const outcome = decide(userCode, action, username);
          if (outcome.kind === "unknown-user") return page(res, 400, { ...again, notice: { kind: "error", text: "No such user." } });
          if (outcome.kind !== "decided") {
            const refusal = REFUSALS[outcome.kind];
            return page(res, refusal.status, { ...again, notice: { kind: "error", text: refusal.text } });
          }
          const text =
            action === "approve"
              ? `Approved: the screen signs in as ${username ?? defaultUser}. You can close this page.`
              : "Denied: the screen will not sign in.";
          page(res, 200, { selectedUser: again.selectedUser, notice: { kind: "done", text } });
        },
      },
    ],
    [paths.approve, machine("approve")],
    [paths.deny, machine("deny")],
  ]);
}

/** The query parameters, plus a form body's when one is sent (a parameter in both is an error). */
async function machineParams(req: IncomingMessage, url: URL): Promise<URLSearchParams | FormError> {
  try {
    if (!(req.headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      req.resume();
      return checkedParams(url.searchParams);
    }
    const body = await readForm(req);
    return checkedParams(new URLSearchParams([...url.searchParams, ...body]));
  } catch (err) {
    if (err instanceof FormError) return err;
    throw err;
  }
}
