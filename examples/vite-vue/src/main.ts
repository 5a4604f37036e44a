import { createApp } from "vue";
import { createPubCacheClient } from "pubcache-web";
import { pubCachePlugin } from "pubcache-web/vue";
import { NoticeBoard } from "./notice-board.js";

// One client for the page; the service worker (src/sw.ts, built to /sw.js) hosts the cache.
const query = new URLSearchParams(location.search);
const client = createPubCacheClient({
  server: query.get("server") ?? "http://127.0.0.1:8700",
  device: "",
});

createApp(NoticeBoard, { id: query.get("id") ?? "notice" })
  .use(pubCachePlugin(client))
  .mount("#app");
