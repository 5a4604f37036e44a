import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SEED_DIRECTORY } from "../../src/dev/seed-demo-data.js";
import { publishBody, publishDemoBuilding } from "./demo-data.js";

/**
 * A busy screen for the layout tests: the demo building's four publications
 * and then as many more as asked, cycling through what buildings publish —
 * sensor readings, short and long notices, zone tables of 12 to 40 rows, a
 * wide table, meters, a portrait image, a notice with an unbreakable URL.
 * Resolves to the ids in the order the dashboard shows them.
 */
export async function publishScreenful(server: string, count: number): Promise<string[]> {
  await publishDemoBuilding(server);
  const ids = ["site-config", "alarm-thresholds", "announcements", "floor-plan"].slice(0, count);
  for (let i = ids.length; i < count; i++) {
    const kind = EXTRA[(i - 4) % EXTRA.length]!;
    const id = `${kind.name}-${i}`;
    const body = await kind.body(i);
    await publishBody(server, id, body, kind.mediaType);
    ids.push(id);
  }
  return ids;
}

const FLOORS = ["B1", "L0", "L1", "L2", "L3", "L4"];

const EXTRA: ReadonlyArray<{ name: string; mediaType: string; body: (i: number) => string | Uint8Array | Promise<Uint8Array> }> = [
  {
    name: "readings",
    mediaType: "application/json",
    body: (i) =>
      JSON.stringify({ zone: `Open office ${i}`, tempC: 21.4, humidityPercentRH: 44, co2ppm: 610 + i, occupied: true, updated: "10:42" }),
  },
  {
    name: "notice",
    mediaType: "text/plain",
    body: (i) => `Cleaning on floor ${i % 5}\n\nThe kitchen on this floor is closed on Thursday afternoon for deep cleaning.`,
  },
  {
    name: "zones",
    mediaType: "application/json",
    body: (i) =>
      JSON.stringify({
        units: { temperature: "degC", humidity: "percentRH" },
        zones: Object.fromEntries(
          Array.from({ length: 12 + ((i * 7) % 29) }, (_, z) => [
            `zone-${i}-${z + 1}`,
            { floor: FLOORS[z % FLOORS.length], temperature: 20 + (z % 5) / 2, humidity: 40 + (z % 9) },
          ]),
        ),
      }),
  },
  {
    name: "long-notice",
    mediaType: "text/plain",
    body: () =>
      [
        "Planned works in the car park",
        "From Monday the lower level of the car park will be resurfaced in three stages. Each stage closes one third of the bays for two working days, starting with the row nearest the lifts. Cars left in a closed section after 07:00 will be moved by the contractor to the upper level, and the keys will be kept at reception.",
        "Cyclists can still use the bike store, which stays open throughout, but the ramp on the east side is shared with the contractor's vehicles on Tuesday and Wednesday. Please walk your bike on the ramp on those days and follow the marshals' directions.",
        "Visitors with accessible parking needs should call the facilities desk on extension 2100 before arriving: two accessible bays on the upper level are kept free for the whole period. We are sorry for the disruption and thank you for your patience while the work is done.",
      ].join("\n\n"),
  },
  {
    name: "meters",
    mediaType: "application/json",
    body: (i) =>
      JSON.stringify({
        meters: Array.from({ length: 8 }, (_, m) => ({ id: `M${i}-${m + 1}`, energyKWh: 1200 + m * 37, powerKw: 12.5 + m, area: FLOORS[m % 6] })),
      }),
  },
  {
    name: "plan",
    mediaType: "image/svg+xml",
    body: async () => new Uint8Array(await readFile(join(SEED_DIRECTORY, "floor-plan.svg"))),
  },
  {
    name: "wide",
    mediaType: "application/json",
    body: (i) =>
      JSON.stringify({
        rooms: Array.from({ length: 6 }, (_, r) => ({
          room: `Room ${i}.${r + 1}`,
          floor: FLOORS[r % 6],
          capacity: 8 + r,
          supplyTempC: 18.5,
          returnTempC: 22.1,
          co2ppm: 540 + r * 20,
          humidityPercentRH: 41,
          lightingLux: 480,
          occupancy: "booked until 16:00",
        })),
      }),
  },
  {
    name: "portrait",
    mediaType: "image/svg+xml",
    body: () =>
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 900" width="400" height="900"><rect width="400" height="900" fill="#dde7ef"/>` +
      `<rect x="40" y="40" width="320" height="820" fill="none" stroke="#0f3d56" stroke-width="8"/><text x="200" y="450" font-size="40" text-anchor="middle">Stair core</text></svg>`,
  },
  {
    name: "wifi",
    mediaType: "text/plain",
    body: () =>
      "Guest Wi-Fi\n\nNetwork: HarbourGuest. Sign in at https://wifi.harbour-house.example/portal/guest-access/registration?lang=en-GB&building=harbour-house-bristol-bs1 and accept the terms.",
  },
];
