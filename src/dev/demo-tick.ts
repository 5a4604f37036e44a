import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";

/** The building notices the demo cycles through; each publish is numbered, so every tick is a new version. */
const NOTICES = [
  "The fire alarm will be tested on Wednesday at 10:00. The test lasts about\nfive minutes: there is no need to leave the building.",
  "The north lift on the first floor is out of service until Friday for\nmaintenance. Please use the south lift or the stairs.",
  "The cycle store on B1 is closed for cleaning today from 14:00 to 15:00.",
  "Meeting room 1.2 has a new video bar. Ask reception for the quick guide.",
  "Window cleaning on the south side tomorrow morning: blinds down, please.",
];

export interface DemoTick {
  /** Resolves once the running publish (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Publishes a new version of the `announcements` publication every
 * `everyMs`, through the server's own API (gRPC-Web), so a dashboard shows
 * live updates arriving. Failures are logged and the next tick tries again
 * (the demo keeps going across a server restart).
 */
export function startDemoTick(options: {
  readonly server: string;
  readonly device?: string;
  readonly everyMs: number;
  readonly id?: string;
  readonly log: (line: string) => void;
  /** E.g. credentials when the server has sign-in on. */
  readonly interceptors?: Interceptor[];
  /** A CA certificate (PEM) to trust for an https server, e.g. the development CA. */
  readonly ca?: string;
}): DemoTick {
  const client = createClient(
    PublicationApi,
    createGrpcWebTransport({
      baseUrl: options.server,
      httpVersion: "1.1",
      interceptors: options.interceptors ?? [],
      ...(options.ca !== undefined && { nodeOptions: { ca: options.ca } }),
    }),
  );
  const id = options.id ?? "announcements";
  const name = options.device ?? "";
  let count = 0;
  let running: Promise<void> = Promise.resolve();

  async function tick() {
    const notice = NOTICES[count % NOTICES.length];
    count++;
    // A number, not a clock time: the card says when it was published, in the screen's own time format
    // (a time written here, in the server's locale, read "08:39:37" beside the screen's "8:39 AM").
    const text = `Harbour House — building notice ${count}\n\n${notice}\n\nQuestions: facilities desk, reception (ground floor), extension 2100.`;
    const publication = { id, body: new TextEncoder().encode(text), mediaType: "text/plain" };
    try {
      let version: string;
      try {
        version = (await client.updatePublication({ name, publication }, { timeoutMs: 5_000 })).version;
      } catch (err) {
        if (ConnectError.from(err).code !== Code.NotFound) throw err;
        version = (await client.createPublication({ name, publication }, { timeoutMs: 5_000 })).version;
      }
      options.log(`demo tick: published ${id} version ${version.slice(0, 8)}`);
    } catch (err) {
      options.log(`demo tick: could not publish ${id}: ${ConnectError.from(err).message}`);
    }
  }

  const timer = setInterval(() => {
    running = running.then(tick);
  }, options.everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
