import type { IdentityProviderOptions } from "./identity-provider.js";

/** The `parseArgs` options of the identity-provider flags, shared by `npm run server` and `npm start`. */
export const AUTH_FLAGS = {
  auth: { type: "boolean", default: false },
  "access-ttl": { type: "string" },
  "refresh-ttl": { type: "string" },
  "device-code-ttl": { type: "string" },
  "poll-interval": { type: "string" },
} as const;

/** Usage lines for {@link AUTH_FLAGS}, aligned with the server's. */
export const AUTH_USAGE = `  --auth            sign-in on: the development identity provider; every call needs its bearer JWT
  --access-ttl <s>  access-token lifetime with --auth (default 300)
  --refresh-ttl <s> refresh-token lifetime with --auth (default 1800)
  --device-code-ttl <s>, --poll-interval <s>  device-code lifetime (600) and polling interval (5)`;

interface AuthFlagValues {
  readonly auth?: boolean;
  readonly "access-ttl"?: string;
  readonly "refresh-ttl"?: string;
  readonly "device-code-ttl"?: string;
  readonly "poll-interval"?: string;
}

/**
 * The identity-provider options the flags ask for, or undefined without
 * `--auth`. Throws an Error with a one-line message for a bad value, or for
 * a lifetime flag without `--auth` (it would silently do nothing).
 */
export function readAuthFlags(values: AuthFlagValues): IdentityProviderOptions | undefined {
  const seconds = {
    accessTtlS: readSeconds(values["access-ttl"], "--access-ttl"),
    refreshTtlS: readSeconds(values["refresh-ttl"], "--refresh-ttl"),
    deviceCodeTtlS: readSeconds(values["device-code-ttl"], "--device-code-ttl"),
    pollIntervalS: readSeconds(values["poll-interval"], "--poll-interval"),
  };
  if (values.auth !== true) {
    const given = Object.keys(AUTH_FLAGS).find((flag) => flag !== "auth" && values[flag as keyof AuthFlagValues] !== undefined);
    if (given !== undefined) throw new Error(`--${given} needs --auth`);
    return undefined;
  }
  return Object.fromEntries(Object.entries(seconds).filter(([, value]) => value !== undefined));
}

function readSeconds(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) === 0) throw new Error(`${flag} must be a whole number of seconds above 0, not ${JSON.stringify(text)}`);
  return Number(text);
}
