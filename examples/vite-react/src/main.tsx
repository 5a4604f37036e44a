import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createPubCacheClient } from "pubcache-web";
import { PubCacheProvider } from "pubcache-web/react";
import { NoticeBoard } from "./notice-board.js";

// One client for the page, created once; the service worker (src/sw.ts, built to /sw.js) hosts the cache.
const query = new URLSearchParams(location.search);
const client = createPubCacheClient({
  server: query.get("server") ?? "http://127.0.0.1:8700",
  device: "",
});

createRoot(document.getElementById("app")!).render(
  <StrictMode>
    <PubCacheProvider client={client}>
      <NoticeBoard id={query.get("id") ?? "notice"} />
    </PubCacheProvider>
  </StrictMode>,
);
