import { Code, ConnectError, createClient, createRouterTransport, type ConnectRouter, type Interceptor } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { manualClock } from "../core/testing/fake-clock.js";
import { PublicationApi as PublicationApiV1 } from "../gen/smartcore/bos/publication/v1/publication_pb.js";
import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import { fixedPath, isPublicationApiPath, onPath, probeAnswerOf, SERVICE_PATH_REPROBE_MS, ServicePathChooser, servicePathInterceptor, type ServicePath } from "./service-path.js";

type Served = { v1: boolean; traits: boolean; streams: boolean };

/** An in-memory server answering the paths `served` says (read at call time), counting calls per path. */
function fakeServer(served: Served) {
  const calls: string[] = [];
  const impl = (path: ServicePath) => ({
    listPublications() {
      calls.push(`${path} List`);
      return {};
    },
    getPublication(req: { id: string }) {
      calls.push(`${path} Get`);
      return { id: req.id, version: path };
    },
    // eslint-disable-next-line require-yield -- a server that does not stream answers before any message
    async *pullPublications() {
      calls.push(`${path} PullAll`);
      if (!served.streams) throw new ConnectError("not streaming", Code.Unimplemented);
    },
  });
  const routes = (router: ConnectRouter) => {
    router.service(PublicationApi, impl("traits"));
    router.service(PublicationApiV1, impl("v1"));
  };
  // An unserved path answers as an unknown service does: UNIMPLEMENTED for every method.
  const gate: Interceptor = (next) => (req) => {
    const path: ServicePath = req.url.includes("/smartcore.traits.") ? "traits" : "v1";
    if (!served[path]) throw new ConnectError(`unknown service ${path}`, Code.Unimplemented);
    return next(req);
  };
  const transportWith = (interceptors: Interceptor[]) => createRouterTransport(routes, { transport: { interceptors: [...interceptors, gate] } });
  return { calls, transportWith };
}

function clientOf(server: ReturnType<typeof fakeServer>, clock = manualClock(1_000_000)) {
  const probe = async (path: ServicePath) => {
    try {
      await createClient(PublicationApi, server.transportWith([fixedPath(path)])).listPublications({ pageSize: 1 });
      return probeAnswerOf(undefined);
    } catch (error) {
      return probeAnswerOf(error);
    }
  };
  const chooser = new ServicePathChooser(probe, clock);
  return { chooser, clock, client: createClient(PublicationApi, server.transportWith([servicePathInterceptor(chooser)])) };
}

describe("the service path a server answers", () => {
  it("moves a traits call to the v1 path, and leaves it for traits", () => {
    expect(onPath("https://s:8700/smartcore.traits.PublicationApi/GetPublication", "v1")).toBe(
      "https://s:8700/smartcore.bos.publication.v1.PublicationApi/GetPublication",
    );
    expect(onPath("https://s:8700/smartcore.traits.PublicationApi/GetPublication", "traits")).toBe(
      "https://s:8700/smartcore.traits.PublicationApi/GetPublication",
    );
  });

  it("a server answering both (BOS today): one probe, then every call on v1", async () => {
    const server = fakeServer({ v1: true, traits: true, streams: true });
    const { client, chooser } = clientOf(server);
    expect((await client.getPublication({ id: "a" })).version).toBe("v1");
    expect((await client.getPublication({ id: "b" })).version).toBe("v1");
    expect(server.calls).toEqual(["v1 List", "v1 Get", "v1 Get"]);
    expect(chooser.known).toBe("v1");
  });

  it("an older server (traits only): v1 refused once, then every call on traits", async () => {
    const server = fakeServer({ v1: false, traits: true, streams: true });
    const { client } = clientOf(server);
    expect((await client.getPublication({ id: "a" })).version).toBe("traits");
    expect((await client.getPublication({ id: "b" })).version).toBe("traits");
    expect(server.calls).toEqual(["traits List", "traits Get", "traits Get"]);
  });

  it("a BOS without the translator (v1 only) works from the first call", async () => {
    const server = fakeServer({ v1: true, traits: false, streams: true });
    const { client } = clientOf(server);
    expect((await client.getPublication({ id: "a" })).version).toBe("v1");
  });

  it("never takes 'does not stream' for 'unknown service': a known service's UNIMPLEMENTED reaches the caller, the path kept", async () => {
    const server = fakeServer({ v1: true, traits: true, streams: false });
    const { client, chooser } = clientOf(server);
    await expect(drain(client.pullPublications({}))).rejects.toMatchObject({ code: Code.Unimplemented });
    expect(chooser.known).toBe("v1");
    expect(server.calls.filter((call) => call.startsWith("traits"))).toEqual([]);
  });

  it("a path that goes away while running (the translator removed): the call is made again on the path a new probe finds", async () => {
    const served = { v1: false, traits: true, streams: true };
    const server = fakeServer(served);
    const { client, chooser } = clientOf(server);
    await client.getPublication({ id: "a" });
    expect(chooser.known).toBe("traits");
    served.traits = false;
    served.v1 = true;
    expect((await client.getPublication({ id: "b" })).version).toBe("v1");
    expect(chooser.known).toBe("v1");
  });

  it("probes again after 30 minutes, not before", async () => {
    const server = fakeServer({ v1: true, traits: true, streams: true });
    const { client, clock } = clientOf(server);
    await client.getPublication({ id: "a" });
    clock.advance(SERVICE_PATH_REPROBE_MS - 1);
    await client.getPublication({ id: "a" });
    expect(server.calls.filter((call) => call.endsWith("List"))).toHaveLength(1);
    clock.advance(1);
    await client.getPublication({ id: "a" });
    expect(server.calls.filter((call) => call.endsWith("List"))).toHaveLength(2);
  });

  it("learns nothing from a server it cannot reach: the next call probes again", async () => {
    let reachable = false;
    const probe = async (path: ServicePath): Promise<"answers" | "unreachable"> => (reachable && path === "v1" ? "answers" : "unreachable");
    const chooser = new ServicePathChooser(probe, manualClock(1_000_000));
    expect(await chooser.path()).toBe("traits");
    expect(chooser.known).toBeUndefined();
    reachable = true;
    expect(await chooser.path()).toBe("v1");
  });

  it("reads a refusal by sign-in or policy as a service that exists", () => {
    expect(probeAnswerOf(new ConnectError("x", Code.Unauthenticated))).toBe("answers");
    expect(probeAnswerOf(new ConnectError("x", Code.PermissionDenied))).toBe("answers");
    expect(probeAnswerOf(new ConnectError("x", Code.Unimplemented))).toBe("unknown");
    expect(probeAnswerOf(new ConnectError("Failed to fetch", Code.Unknown))).toBe("unreachable");
  });
});

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) void _;
}

describe("which URLs are Publication API calls", () => {
  it("recognises both service paths under any base path, and nothing else", () => {
    expect(isPublicationApiPath("/smartcore.traits.PublicationApi/GetPublication")).toBe(true);
    expect(isPublicationApiPath("/api/smartcore.bos.publication.v1.PublicationApi/PullPublications")).toBe(true);
    expect(isPublicationApiPath("/healthz")).toBe(false);
    expect(isPublicationApiPath("/smartcore.traits.OtherApi/Get")).toBe(false);
  });
});
