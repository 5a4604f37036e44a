/**
 * The naive baseline: what a dashboard does without pubcache — every tab
 * opens its own PullPublication stream per publication with connect-web and
 * renders what arrives. Same query (`server`, `device`, `ids`) and the same
 * DOM contract as the app page (`[data-publication-id][data-version][data-state]`),
 * so the bench measures both the same way.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { PublicationApi } from "../../src/gen/smartcore/traits/publication_pb.js";

const query = new URLSearchParams(location.search);
const server = query.get("server") ?? location.origin;
const device = query.get("device") ?? "";
const ids = (query.get("ids") ?? "").split(",").filter((id) => id !== "");
const client = createClient(PublicationApi, createGrpcWebTransport({ baseUrl: server }));
const list = document.getElementById("publications") as HTMLElement;

for (const id of ids) {
  const element = document.createElement("article");
  element.dataset.publicationId = id;
  element.dataset.version = "";
  element.dataset.state = "connecting";
  const body = document.createElement("pre");
  element.append(body);
  list.append(element);
  void (async () => {
    try {
      for await (const response of client.pullPublication({ name: device, id })) {
        for (const change of response.changes) {
          const publication = change.publication;
          if (!publication) continue;
          element.dataset.version = publication.version;
          element.dataset.state = "live";
          body.textContent = new TextDecoder().decode(publication.body);
        }
      }
      element.dataset.state = "ended";
    } catch (error) {
      element.dataset.state = "failed";
      body.textContent = String(error);
    }
  })();
}
