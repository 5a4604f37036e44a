import { request as httpsRequest } from "node:https";

/** A form POST's answer: the status and the body as JSON (`{}` when it is not JSON). */
export interface FormAnswer {
  readonly status: number;
  json(): Promise<unknown>;
}

/** POSTs a form (the identity provider's endpoints take `application/x-www-form-urlencoded`). */
export type FormPost = (url: string, form: URLSearchParams, signal: AbortSignal) => Promise<FormAnswer>;

/**
 * A {@link FormPost} over `fetch`, or — given a CA certificate (PEM) — over
 * `node:https` trusting that CA besides the system's, which `fetch` cannot
 * be told to: what the command-line tools need against `--tls` servers with
 * their development CA.
 */
export function formPost(ca?: string): FormPost {
  if (ca === undefined) {
    return async (url, form, signal) => {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form, signal });
      const text = await res.text();
      return { status: res.status, json: async () => parseJson(text) };
    };
  }
  return (url, form, signal) =>
    new Promise((resolve, reject) => {
      const body = form.toString();
      const req = httpsRequest(
        url,
        { method: "POST", ca, signal, headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({ status: res.statusCode ?? 0, json: async () => parseJson(text) });
          });
          res.on("error", reject);
        },
      );
      req.on("error", (error) => reject(new TypeError("fetch failed", { cause: error })));
      req.end(body);
    });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
