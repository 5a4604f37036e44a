import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { expect, test } from "@playwright/test";
import { PublicationApi as PublicationApiV1 } from "../src/gen/smartcore/bos/publication/v1/publication_pb.js";
import { PublicationApi as PublicationApiTraits } from "../src/gen/smartcore/traits/publication_pb.js";
import { appUrl, expectControlled, expectShown } from "./support/app-page.js";
import { DevServer } from "./support/dev-server.js";

/**
 * Smart Core BOS moved the publication service to `smartcore.bos.publication.v1`
 * and translates the old `smartcore.traits` path for now; older servers answer
 * only the old one. The dashboard must work unchanged against either, and
 * never take "unknown service" for "does not stream".
 */
const SERVICES = { v1: PublicationApiV1, traits: PublicationApiTraits } as const;

async function publishOn(api: "v1" | "traits", server: string, id: string, text: string): Promise<string> {
  const client = createClient(SERVICES[api] as typeof PublicationApiTraits, createGrpcWebTransport({ baseUrl: server, httpVersion: "1.1" }));
  const publication = { id, body: new TextEncoder().encode(text), mediaType: "text/plain" };
  try {
    return (await client.createPublication({ publication })).version;
  } catch {
    return (await client.updatePublication({ publication })).version;
  }
}

for (const api of ["v1", "traits"] as const) {
  test(`a server that answers only ${api === "v1" ? "smartcore.bos.publication.v1 (no translator)" : "smartcore.traits (an older release)"}: live over one device stream on that path, updates arrive`, async ({
    page,
  }) => {
    const server = await DevServer.start({ api });
    try {
      const v1 = await publishOn(api, server.url, "menu", "soup");
      await page.goto(appUrl({ server: server.url, ids: ["menu"], backoffMs: 500 }));
      await expectShown(page, "menu", { version: v1, state: "live", text: "soup" });
      await expectControlled(page);
      await expect.poll(() => server.streams()).toEqual({ device: 1, perPublication: 0 });

      const v2 = await publishOn(api, server.url, "menu", "stew");
      await expectShown(page, "menu", { version: v2, state: "live", text: "stew" });

      // Every call the page made went to the path the server answers; the other path was at most probed once.
      const other = api === "v1" ? "smartcore.traits.PublicationApi" : "smartcore.bos.publication.v1.PublicationApi";
      const stats = (await (await fetch(`${server.url}/debug/stats`)).json()) as { callsByService: Record<string, Record<string, number>> };
      const elsewhere = Object.values(stats.callsByService[other] ?? {}).reduce((sum, n) => sum + n, 0);
      expect(elsewhere).toBeLessThanOrEqual(1);
    } finally {
      await server.dispose();
    }
  });
}
