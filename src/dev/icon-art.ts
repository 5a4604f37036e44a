/**
 * The dashboard's icon as SVG: a building with lit windows under a
 * "still connected" arc, on the brand colour. `maskable` draws full-bleed
 * with the artwork inside the central safe zone (a circle of 80 % of the
 * size), as launchers crop maskable icons to their own shapes.
 */
export function iconSvg(options: { maskable: boolean }): string {
  const scale = options.maskable ? 0.7 : 0.92;
  // The artwork spans y 96…452: lift it by 18 so it sits in the middle.
  const offset = (512 - 512 * scale) / 2;
  const background = options.maskable
    ? `<rect width="512" height="512" fill="#0f3d56"/>`
    : `<rect width="512" height="512" rx="112" fill="#0f3d56"/>`;
  const windows: string[] = [];
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 3; col++) {
      const lit = (row + col) % 3 !== 1;
      windows.push(
        `<rect x="${178 + col * 56}" y="${226 + row * 50}" width="36" height="30" rx="4" fill="${lit ? "#ffd66b" : "#9fc3d6"}"/>`,
      );
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
  ${background}
  <g transform="translate(${offset} ${offset - 18 * scale}) scale(${scale})">
    <path d="M150 176 Q256 96 362 176" fill="none" stroke="#4ee08a" stroke-width="22" stroke-linecap="round"/>
    <path d="M196 196 Q256 152 316 196" fill="none" stroke="#4ee08a" stroke-width="22" stroke-linecap="round"/>
    <rect x="154" y="206" width="204" height="236" rx="10" fill="#ffffff"/>
    ${windows.join("\n    ")}
    <rect x="232" y="402" width="48" height="40" fill="#0f3d56"/>
    <rect x="120" y="436" width="272" height="16" rx="8" fill="#ffffff"/>
  </g>
</svg>
`;
}
