/**
 * Regenerates public/icons/ from icon-art.ts: icon.svg (favicon) and the PNGs
 * the web app manifest names (192, 512, maskable 512, 180 apple-touch-icon),
 * rendered by Chromium so they match the SVG exactly. The PNGs are committed;
 * run this only when the artwork changes:
 *
 *   node --import tsx src/dev/make-icons.ts
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { iconSvg } from "./icon-art.js";

const out = (name: string) => fileURLToPath(new URL(`../../public/icons/${name}`, import.meta.url));
const targets = [
  { name: "icon-192.png", size: 192, maskable: false },
  { name: "icon-512.png", size: 512, maskable: false },
  { name: "maskable-512.png", size: 512, maskable: true },
  { name: "apple-touch-icon.png", size: 180, maskable: true },
];

await writeFile(out("icon.svg"), iconSvg({ maskable: false }));
const browser = await chromium.launch({
  executablePath: process.env.PUBCACHE_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage();
  for (const { name, size, maskable } of targets) {
    await page.setViewportSize({ width: size, height: size });
    const svg = iconSvg({ maskable }).replace('width="512" height="512"', `width="${size}" height="${size}"`);
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block}</style>${svg}`);
    await writeFile(out(name), await page.screenshot({ omitBackground: true, type: "png" }));
    console.log(`wrote public/icons/${name}`);
  }
} finally {
  await browser.close();
}
