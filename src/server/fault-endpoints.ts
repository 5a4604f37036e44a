import type { IncomingMessage, ServerResponse } from "node:http";
import { Code, ConnectError } from "@connectrpc/connect";
import { INVALID_PULL_KINDS, type FaultState, type InvalidPullKind } from "./faults.js";
import type { OpenStreams } from "./open-streams.js";

/**
 * The test-only `/faults/...` endpoints (POST, parameters in the query).
 * Documented in README.md; answer JSON. Only mounted with `faults: true`.
 */
export function createFaultEndpoints(deps: {
  readonly faults: FaultState;
  readonly streams: OpenStreams;
  /** Called when refusing starts, so idle keep-alive connections are dropped too. */
  readonly onRefuse: () => void;
}): (req: IncomingMessage, res: ServerResponse, url: URL) => void {
  const { faults, streams } = deps;
  const routes: Record<string, (query: URLSearchParams) => object> = {
    "/faults/end-streams": (query) => {
      const outcome = query.get("outcome") ?? "error";
      if (outcome === "ok") return { ended: streams.endAll({ kind: "ok" }) };
      if (outcome !== "error") throw new BadRequest(`outcome must be "ok" or "error"`);
      const name = query.get("code") ?? "unavailable";
      const code = codeNamed(name);
      const error = new ConnectError("stream ended by the /faults/end-streams endpoint", code);
      return { ended: streams.endAll({ kind: "error", error }) };
    },
    "/faults/hold-calls": (query) => {
      const ms = numberParam(query, "ms");
      faults.holdCalls(ms);
      return { holdMs: ms };
    },
    "/faults/invalid-next-pull": (query) => {
      const kind = query.get("kind") ?? "other-id";
      if (!INVALID_PULL_KINDS.includes(kind as InvalidPullKind)) {
        throw new BadRequest(`kind must be one of ${INVALID_PULL_KINDS.join(", ")}`);
      }
      faults.armInvalidPull(kind as InvalidPullKind);
      return { armed: kind };
    },
    "/faults/invalid-next-get": (query) => {
      const kind = query.get("kind") ?? "other-id";
      if (!INVALID_PULL_KINDS.includes(kind as InvalidPullKind)) {
        throw new BadRequest(`kind must be one of ${INVALID_PULL_KINDS.join(", ")}`);
      }
      faults.armInvalidGet(kind as InvalidPullKind);
      return { armed: kind };
    },
    "/faults/refuse-connections": (query) => {
      const seconds = numberParam(query, "seconds");
      faults.refuseConnections(seconds * 1000);
      deps.onRefuse();
      return { refuseSeconds: seconds };
    },
    "/faults/reset": () => {
      faults.reset();
      return { reset: true };
    },
  };

  return (req, res, url) => {
    const route = routes[url.pathname];
    if (route === undefined) return reply(res, 404, { error: `no fault endpoint ${url.pathname}` });
    if (req.method !== "POST") return reply(res, 405, { error: "use POST" });
    try {
      reply(res, 200, route(url.searchParams));
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err;
      reply(res, 400, { error: err.message });
    }
  };
}

class BadRequest extends Error {}

function numberParam(query: URLSearchParams, name: string): number {
  const raw = query.get(name);
  const value = raw === null || raw.trim() === "" ? NaN : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new BadRequest(`${name} must be a number >= 0`);
  return value;
}

/** "unavailable", "UNAVAILABLE" or "14" → Code.Unavailable. */
function codeNamed(name: string): Code {
  const normalized = name.replace(/_/g, "").toLowerCase();
  for (const [key, value] of Object.entries(Code)) {
    if (typeof value !== "number") continue;
    if (key.toLowerCase() === normalized || String(value) === name) return value;
  }
  throw new BadRequest(`unknown status code ${JSON.stringify(name)}`);
}

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
