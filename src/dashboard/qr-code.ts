/**
 * A QR code as an SVG element. The `qrcode` library is loaded with
 * `import()` on first use, so it is its own chunk, fetched only by a screen
 * that shows a sign-in code (and precached by the worker, so a screen that
 * lost the network can still draw one).
 */
export async function qrCodeSvg(text: string, label: string): Promise<SVGSVGElement> {
  const { toString } = await import("qrcode");
  // Dark on white whatever the theme: scanners read that best. Margin 2 is enough on a plain panel.
  const markup = await toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2, color: { dark: "#000000", light: "#ffffff" } });
  // Parsed as SVG (no scripts run in a parsed document) and adopted, never assigned as HTML.
  const parsed = new DOMParser().parseFromString(markup, "image/svg+xml").documentElement;
  if (parsed.namespaceURI !== "http://www.w3.org/2000/svg" || parsed.localName !== "svg") throw new Error("the QR code library returned no SVG");
  const svg = document.importNode(parsed, true) as unknown as SVGSVGElement;
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  return svg;
}
