import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";

/**
 * The two paths a Smart Core publication server may answer:
 * `/smartcore.bos.publication.v1.PublicationApi/<Method>` (what Smart Core
 * BOS registers now) and `/smartcore.traits.PublicationApi/<Method>` (older
 * servers; BOS still translates it, with an interceptor its own comment
 * calls temporary). Same messages, same field numbers: only the path differs.
 */
export type ServicePath = "v1" | "traits";

const SERVICE_NAMES: Readonly<Record<ServicePath, string>> = {
  v1: "smartcore.bos.publication.v1.PublicationApi",
  traits: "smartcore.traits.PublicationApi",
};
/** v1 first: it is where servers are going; an older server costs one refused probe per re-probe. */
const PROBE_ORDER: readonly ServicePath[] = ["v1", "traits"];
/** Paths are re-probed as often as the feed re-probes its fallbacks. */
export const SERVICE_PATH_REPROBE_MS = 30 * 60_000;

/** What one probe of a path says: the service is there, unknown to the server, or the server could not be asked. */
export type ProbeAnswer = "answers" | "unknown" | "unreachable";

/** Reads a probe call's outcome: a refusal by policy or sign-in still proves the service exists. */
export function probeAnswerOf(error: unknown): ProbeAnswer {
  if (error === undefined) return "answers";
  const code = ConnectError.from(error).code;
  if (code === Code.Unimplemented) return "unknown";
  if (code === Code.Unauthenticated || code === Code.PermissionDenied) return "answers";
  return "unreachable";
}

/**
 * Which path one server answers, found by one cheap probe (a
 * ListPublications of one id on each path in turn) before the first call,
 * remembered for {@link SERVICE_PATH_REPROBE_MS}, and probed again at once
 * when the remembered path says UNIMPLEMENTED. A server that cannot be
 * reached teaches nothing: the next call probes again.
 */
export class ServicePathChooser {
  #known: ServicePath | undefined;
  #probedAt = 0;
  #probing: Promise<ServicePath> | undefined;

  constructor(
    private readonly probe: (path: ServicePath) => Promise<ProbeAnswer>,
    private readonly clock: Clock,
    private readonly logger?: Logger,
    private readonly reprobeMs = SERVICE_PATH_REPROBE_MS,
  ) {}

  /** The path known now, if any (diagnostics, tests). */
  get known(): ServicePath | undefined {
    return this.#known;
  }

  /** The path to call on: the remembered one, or the one a probe finds. */
  path(): Promise<ServicePath> {
    if (this.#known !== undefined && this.clock.now() - this.#probedAt < this.reprobeMs) return Promise.resolve(this.#known);
    this.#probing ??= this.#probeAll().finally(() => (this.#probing = undefined));
    return this.#probing;
  }

  /**
   * After UNIMPLEMENTED on `path`: true when the service itself is unknown
   * there (the path is forgotten, so the next {@link path} probes), false
   * when the service answers and only this method is not served — a server
   * that does not stream, which the feed handles by falling back.
   */
  async isUnknownService(path: ServicePath): Promise<boolean> {
    if ((await this.probe(path)) !== "unknown") return false;
    if (this.#known === path) this.#known = undefined;
    return true;
  }

  async #probeAll(): Promise<ServicePath> {
    let unknown = 0;
    for (const path of PROBE_ORDER) {
      const answer = await this.probe(path);
      if (answer === "answers") return this.#remember(path);
      if (answer === "unknown") unknown++;
      else break;
    }
    // Neither answers: the historical path, remembered so that a server that knows neither is not probed on every call.
    if (unknown === PROBE_ORDER.length) return this.#remember("traits");
    return this.#known ?? "traits";
  }

  #remember(path: ServicePath): ServicePath {
    if (path !== this.#known) this.logger?.info("publication service path", { path: SERVICE_NAMES[path] });
    this.#known = path;
    this.#probedAt = this.clock.now();
    return path;
  }
}

/** Whether a URL path is a call of the Publication API on either service path, whatever base path it has. */
export function isPublicationApiPath(pathname: string): boolean {
  return Object.values(SERVICE_NAMES).some((service) => pathname.includes(`/${service}/`));
}

/** The URL of a call moved to `path` (calls are made with the traits descriptors). */
export function onPath(url: string, path: ServicePath): string {
  const from = `/${SERVICE_NAMES.traits}/`;
  const at = url.lastIndexOf(from);
  if (path === "traits" || at < 0) return url;
  return `${url.slice(0, at)}/${SERVICE_NAMES[path]}/${url.slice(at + from.length)}`;
}

/** An interceptor that sends every call on a fixed path (the probes'). */
export function fixedPath(path: ServicePath): Interceptor {
  return (next) => (req) => next({ ...req, url: onPath(req.url, path) });
}

/**
 * Sends every call on the path `chooser` finds. An UNIMPLEMENTED answer is
 * checked: if the service is unknown on that path (a server upgraded, a
 * translator removed) the call is made once more on the path a new probe
 * finds; if the service answers, the UNIMPLEMENTED is the method's (a server
 * that does not stream) and goes to the caller as it is.
 */
export function servicePathInterceptor(chooser: ServicePathChooser): Interceptor {
  return (next) => async (req) => {
    const path = await chooser.path();
    try {
      return await next({ ...req, url: onPath(req.url, path) });
    } catch (error) {
      if (ConnectError.from(error).code !== Code.Unimplemented || !(await chooser.isUnknownService(path))) throw error;
      const other = await chooser.path();
      if (other === path) throw error;
      return next({ ...req, url: onPath(req.url, other) });
    }
  };
}
