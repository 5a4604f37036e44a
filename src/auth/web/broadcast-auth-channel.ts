import { parseAuthMessage, type OpenAuthChannel } from "../auth-channel.js";

/**
 * The tabs' channel on a BroadcastChannel (same origin only). Messages that
 * do not validate are dropped: any script of the origin can post here.
 */
export function broadcastAuthChannel(name: string): OpenAuthChannel {
  return (onMessage) => {
    const channel = new BroadcastChannel(name);
    channel.onmessage = (event: MessageEvent<unknown>) => {
      const message = parseAuthMessage(event.data);
      if (message) onMessage(message);
    };
    return {
      post: (message) => channel.postMessage(message),
      close: () => channel.close(),
    };
  };
}
