import { create, type DescMessage, type DescService } from "@bufbuild/protobuf";
import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import { PublicationApi as PublicationApiV1 } from "../gen/smartcore/bos/publication/v1/publication_pb.js";
import { PublicationApi as PublicationApiTraits } from "../gen/smartcore/traits/publication_pb.js";

/**
 * Which service path the server answers: `"v1"` is
 * `/smartcore.bos.publication.v1.PublicationApi/<Method>` (what Smart Core BOS
 * registers now), `"traits"` is `/smartcore.traits.PublicationApi/<Method>`
 * (sc-golang and older BOS releases). Unset (the default) answers both, as BOS
 * does today with its translating interceptor.
 */
export type ServiceApi = "v1" | "traits";

/** Both packages' services, in the order the stats list them. */
export const PUBLICATION_SERVICES: readonly DescService[] = [PublicationApiTraits, PublicationApiV1];

/** The services a server with `api` serves. */
export function servedServices(api: ServiceApi | undefined): readonly DescService[] {
  if (api === "v1") return [PublicationApiV1];
  if (api === "traits") return [PublicationApiTraits];
  return PUBLICATION_SERVICES;
}

/**
 * Registers the same handlers (written against `smartcore.traits`) under each
 * service `api` asks for. The packages have the same messages and field
 * numbers, so a v1 request is copied field by field into its traits twin
 * (`create` of the other schema; no re-encoding) before the handler sees it,
 * and connect copies the traits answer into the v1 output type as it
 * normalises it. One store behind both: a change made through one path
 * streams to the other. A path not served reaches the router's fallback:
 * UNIMPLEMENTED for every method, as a server answers an unknown service.
 */
export function routePublicationApi(
  router: ConnectRouter,
  api: ServiceApi | undefined,
  handlers: ServiceImpl<typeof PublicationApiTraits>,
): void {
  for (const service of servedServices(api)) {
    if (service === PublicationApiTraits) router.service(PublicationApiTraits, handlers);
    else router.service(PublicationApiV1, bridge(handlers));
  }
}

type Loose = (request: unknown, context: unknown) => unknown;

function bridge(handlers: ServiceImpl<typeof PublicationApiTraits>): ServiceImpl<typeof PublicationApiV1> {
  const traitsInputs = new Map<string, DescMessage>(PublicationApiTraits.methods.map((m) => [m.localName, m.input]));
  const bridged: Record<string, Loose> = {};
  for (const method of PublicationApiV1.methods) {
    const input = traitsInputs.get(method.localName);
    const handler = (handlers as unknown as Record<string, Loose>)[method.localName];
    if (input === undefined || handler === undefined) throw new Error(`no traits handler for ${method.name}`);
    bridged[method.localName] = (request, context) => handler(create(input, request as never), context);
  }
  return bridged as unknown as ServiceImpl<typeof PublicationApiV1>;
}
