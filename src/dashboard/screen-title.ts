/**
 * What the header says when no publication names the building (no site
 * configuration on this screen): the app's own name, which is also the
 * window title and the installed app's name, and below it where the data
 * comes from and how much of it there is — the device, else the server's
 * host — so whoever looks after the screens can tell which one this is.
 */
export function fallbackTitle(input: { readonly device: string; readonly server: string; readonly publications: number }): {
  readonly name: string;
  readonly detail: string;
} {
  const source = input.device.trim() !== "" ? input.device.trim() : hostOf(input.server);
  const count = `${input.publications.toLocaleString("en")} ${input.publications === 1 ? "publication" : "publications"}`;
  return { name: "Building dashboard", detail: source ? `${source} · ${count}` : count };
}

function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return "";
  }
}
