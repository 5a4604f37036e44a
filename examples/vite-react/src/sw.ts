import { precacheAndHost } from "pubcache-web/sw";

// Precache the app shell, answer every navigation with it, host the publication cache.
precacheAndHost();
