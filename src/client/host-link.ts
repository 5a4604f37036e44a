import type { ToHostMessage } from "../protocol/messages.js";
import type { PageChannel } from "./page-channel.js";

/** This tab's way to the host. */
export interface HostLink {
  send(message: ToHostMessage): void;
}

/**
 * Sends to the service worker that controls the page when it hosts (a
 * `postMessage` to the worker is an event: it also restarts a stopped
 * worker), otherwise on the shared channel, where the leader tab hosts.
 */
export function createHostLink(channel: PageChannel, hostingWorker: () => Pick<ServiceWorker, "postMessage"> | null | undefined): HostLink {
  return {
    send(message) {
      const controller = hostingWorker();
      if (controller) controller.postMessage(message);
      else channel.post(message);
    },
  };
}
