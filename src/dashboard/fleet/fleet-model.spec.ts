import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { Publication_Audience_Receipt as Receipt, PublicationSchema } from "../../gen/smartcore/traits/publication_pb.js";
import { durationText, fleetAsOf, fleetOf, fleetSummary } from "./fleet-model.js";
import { contactStatus, describeContact } from "../server-contact-text.js";
import { createTimeFormat } from "../time-format.js";

const T = Date.UTC(2026, 11, 1, 9, 0);
const pub = (id: string, screen: string | undefined, receipt = Receipt.NO_SIGNAL, publishedAt = T, reason = "") =>
  create(PublicationSchema, {
    id,
    version: `${id}-v`,
    mediaType: "application/json",
    publishTime: timestampFromMs(publishedAt),
    ...(screen !== undefined && {
      audience: { name: screen, receipt, receiptRejectedReason: reason, ...(receipt !== Receipt.NO_SIGNAL && { receiptTime: timestampFromMs(publishedAt + 5_000) }) },
    }),
  });

describe("fleet model", () => {
  it("a publication whose receipts this browser's host knows refused by policy reads `refused`, never `waiting`; without that knowledge it stays `waiting`", () => {
    const publications = [
      pub("lobby:config", "lobby", Receipt.NO_SIGNAL),
      pub("lobby:menu", "lobby", Receipt.ACCEPTED),
      pub("cafe:config", "cafe", Receipt.NO_SIGNAL, T - 60_000),
    ];
    const fleet = fleetOf(publications, new Set(["lobby:config", "lobby:menu"]));
    expect(fleet.map((s) => [s.name, s.status])).toEqual([
      ["lobby", "refused"],
      ["cafe", "behind"],
    ]);
    // An acknowledgement the server holds is what it holds, whatever this browser was refused later.
    expect(fleet[0]?.entries.map((e) => [e.id, e.receipt])).toEqual([
      ["lobby:config", "refused"],
      ["lobby:menu", "accepted"],
    ]);
    expect(fleetSummary(fleet)).toBe("2 screens · 1 with receipts refused · 1 behind");
    expect(fleetOf(publications).map((s) => s.status)).toEqual(["behind", "behind"]);
  });

  it("groups what is addressed to each screen; rejecting first, then the longest behind, up to date last", () => {
    const fleet = fleetOf([
      pub("lobby:config", "lobby", Receipt.ACCEPTED),
      pub("cafe:config", "cafe", Receipt.NO_SIGNAL, T + 60_000),
      pub("gate:config", "gate", Receipt.REJECTED, T, "not valid JSON"),
      pub("cafe:menu", "cafe", Receipt.ACCEPTED),
      pub("site", undefined),
      pub("porch:config", "porch", Receipt.NO_SIGNAL, T),
    ]);
    expect(fleet.map((s) => [s.name, s.status, s.behindSinceMs])).toEqual([
      ["gate", "rejecting", T],
      ["porch", "behind", T],
      ["cafe", "behind", T + 60_000],
      ["lobby", "up-to-date", undefined],
    ]);
    expect(fleet[2]?.entries.map((e) => [e.id, e.receipt])).toEqual([
      ["cafe:config", "waiting"],
      ["cafe:menu", "accepted"],
    ]);
    expect(fleet[0]?.entries[0]).toMatchObject({ receipt: "rejected", reason: "not valid JSON", receiptTimeMs: T + 5_000 });
    expect(fleetSummary(fleet)).toBe("4 screens · 1 rejecting · 2 behind · 1 up to date");
  });

  it("an empty device is an empty fleet", () => {
    expect(fleetOf([pub("site", undefined)])).toEqual([]);
    expect(fleetSummary([])).toBe("0 screens");
  });
});

describe("fleet durations", () => {
  it("reads as people say it", () => {
    expect([0, 59_000, 60_000, 12 * 60_000, 60 * 60_000, 47 * 3_600_000, 49 * 3_600_000].map(durationText)).toEqual([
      "less than a minute",
      "less than a minute",
      "1 minute",
      "12 minutes",
      "1 hour",
      "47 hours",
      "2 days",
    ]);
  });
});

describe("the fleet view while the server cannot be reached", () => {
  const NOW = Date.UTC(2026, 11, 7, 8, 40);
  it("counts 'behind for' up to now while the server answers, and stops at the time it was last heard once lost", () => {
    const heardAt = NOW - 6 * 60_000;
    expect(fleetAsOf(contactStatus({ server: "https://s.test", heardAt }, true), NOW)).toEqual({ offline: false, asOf: NOW });
    const lost = contactStatus({ server: "https://s.test", heardAt, lostAt: heardAt + 2_000 }, true);
    expect(lost).toEqual({ kind: "offline", since: heardAt });
    expect(fleetAsOf(lost, NOW)).toEqual({ offline: true, asOf: heardAt });
    expect(fleetAsOf(lost, NOW + 60 * 60_000)).toEqual({ offline: true, asOf: heardAt });
    // No network at all: offline too, whatever the host last said.
    expect(fleetAsOf(contactStatus({ server: "https://s.test", heardAt }, false), NOW)).toEqual({ offline: true, asOf: heardAt });
  });

  it("words the connection the way the dashboard does", () => {
    const time = createTimeFormat("en-GB", "UTC");
    expect(describeContact({ kind: "offline", since: NOW - 2 * 60_000 }, NOW, time)).toBe("Offline since 08:38 (2 minutes ago)");
    expect(describeContact({ kind: "answering", heardAt: NOW }, NOW, time)).toBe("Answering (last heard now)");
  });
});
