import type { IncomingMessage } from "node:http";

/** Larger bodies are refused: no OAuth request comes near it. */
export const MAX_FORM_BYTES = 16 * 1024;

/** Why a body is not a usable form. The message is safe to show: it never quotes the body. */
export class FormError extends Error {
  override readonly name = "FormError";
}

/**
 * Reads an `application/x-www-form-urlencoded` body (RFC 6749 §3.2: the
 * only body the token endpoint takes). Throws {@link FormError} for another
 * content type, a body above {@link MAX_FORM_BYTES}, or a parameter given
 * twice (RFC 6749 §3.1: parameters must not repeat).
 */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    req.resume(); // drain, so the connection can be reused
    throw new FormError("the body must be application/x-www-form-urlencoded");
  }
  const body = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Events, not for-await: leaving a for-await early would destroy the socket before we can answer.
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FORM_BYTES) chunks.push(chunk);
    });
    req.once("end", () =>
      size > MAX_FORM_BYTES
        ? reject(new FormError(`the body is larger than ${MAX_FORM_BYTES} bytes`))
        : resolve(Buffer.concat(chunks).toString("utf8")),
    );
    req.once("error", reject);
  });
  return checkedParams(new URLSearchParams(body));
}

/** `params` unless a name repeats. */
export function checkedParams(params: URLSearchParams): URLSearchParams {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) throw new FormError(`parameter ${JSON.stringify(name.slice(0, 40))} is given more than once`);
    seen.add(name);
  }
  return params;
}
