import { PublicationAudienceReceipt } from "../core/receipts/audience-receipt.js";
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import * as v1 from "../gen/smartcore/bos/publication/v1/publication_pb.js";
import * as pb from "../gen/smartcore/traits/publication_pb.js";

// Every message of ../shared/spec/publication-api.md, field by field:
// "number name type" (type: scalar name, message/enum full name; "[]" = repeated).
const SPEC: Record<string, string[]> = {
  "smartcore.traits.Publication": [
    "1 id string", "2 version string", "3 body bytes", "4 audience smartcore.traits.Publication.Audience",
    "5 publish_time google.protobuf.Timestamp", "6 media_type string",
  ],
  "smartcore.traits.Publication.Audience": [
    "1 name string", "2 receipt smartcore.traits.Publication.Audience.Receipt",
    "3 receipt_rejected_reason string", "4 receipt_time google.protobuf.Timestamp",
  ],
  "smartcore.traits.CreatePublicationRequest": ["1 name string", "2 publication smartcore.traits.Publication"],
  "smartcore.traits.GetPublicationRequest": [
    "1 name string", "2 id string", "3 read_mask google.protobuf.FieldMask", "4 version string",
  ],
  "smartcore.traits.UpdatePublicationRequest": [
    "1 name string", "2 publication smartcore.traits.Publication", "3 update_mask google.protobuf.FieldMask", "4 version string",
  ],
  "smartcore.traits.DeletePublicationRequest": ["1 name string", "2 id string", "3 version string", "4 allow_missing bool"],
  "smartcore.traits.PullPublicationRequest": [
    "1 name string", "2 id string", "3 read_mask google.protobuf.FieldMask", "4 updates_only bool",
  ],
  "smartcore.traits.PullPublicationResponse": ["1 changes smartcore.traits.PullPublicationResponse.Change[]"],
  "smartcore.traits.PullPublicationResponse.Change": [
    "1 name string", "2 change_time google.protobuf.Timestamp", "3 publication smartcore.traits.Publication",
  ],
  "smartcore.traits.ListPublicationsRequest": [
    "1 name string", "2 read_mask google.protobuf.FieldMask", "3 page_size int32", "4 page_token string",
  ],
  "smartcore.traits.ListPublicationsResponse": [
    "1 publications smartcore.traits.Publication[]", "2 next_page_token string", "3 total_size int32",
  ],
  "smartcore.traits.PullPublicationsRequest": ["1 name string", "2 read_mask google.protobuf.FieldMask", "3 updates_only bool"],
  "smartcore.traits.PullPublicationsResponse": ["1 changes smartcore.traits.PullPublicationsResponse.Change[]"],
  "smartcore.traits.PullPublicationsResponse.Change": [
    "1 name string", "2 type smartcore.types.ChangeType", "3 new_value smartcore.traits.Publication",
    "4 old_value smartcore.traits.Publication", "5 change_time google.protobuf.Timestamp",
  ],
  "smartcore.traits.AcknowledgePublicationRequest": [
    "1 name string", "2 id string", "3 version string", "4 receipt smartcore.traits.Publication.Audience.Receipt",
    "5 receipt_rejected_reason string", "6 allow_acknowledged bool",
  ],
};

const SCALAR_NAMES: Record<number, string> = { 5: "int32", 8: "bool", 9: "string", 12: "bytes" };

function describeField(f: DescField): string {
  const list = f.fieldKind === "list";
  const kind = list ? f.listKind : f.fieldKind;
  let type: string;
  if (kind === "scalar") type = SCALAR_NAMES[(f as { scalar: number }).scalar] ?? `scalar#${(f as { scalar: number }).scalar}`;
  else if (kind === "enum") type = (f as { enum: { typeName: string } }).enum.typeName;
  else type = (f as { message: DescMessage }).message.typeName;
  return `${f.number} ${f.name} ${type}${list ? "[]" : ""}`;
}

// Both service packages ("Service paths" in the spec): smartcore.bos.publication.v1 has the same messages,
// names and field numbers as smartcore.traits; ChangeType stays in smartcore.types.
const PACKAGES = [
  { pkg: "smartcore.traits", module: pb as Record<string, unknown>, service: pb.PublicationApi },
  { pkg: "smartcore.bos.publication.v1", module: v1 as Record<string, unknown>, service: v1.PublicationApi },
];

const inPackage = (pkg: string, text: string) => text.replaceAll("smartcore.traits.", `${pkg}.`);

for (const { pkg, module, service } of PACKAGES) {
  const generated: DescMessage[] = Object.values(module).filter(
    (v): v is DescMessage => typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "message",
  );

  describe(`${pkg}: descriptor matches the spec's field table (names are contract too: JSON and reflection use them)`, () => {
    it("declares exactly the spec's messages", () => {
      expect(generated.map((m) => m.typeName).sort()).toEqual(Object.keys(SPEC).map((t) => inPackage(pkg, t)).sort());
    });

    for (const [traitsName, traitsFields] of Object.entries(SPEC)) {
      const typeName = inPackage(pkg, traitsName);
      it(typeName, () => {
        const message = generated.find((m) => m.typeName === typeName);
        expect(message, typeName).toBeDefined();
        expect(message!.fields.map(describeField)).toEqual(traitsFields.map((f) => inPackage(pkg, f)));
        expect(message!.oneofs).toEqual([]);
      });
    }

    it("service methods use the spec's request and response types", () => {
      expect(service.typeName).toBe(`${pkg}.PublicationApi`);
      const rows = service.methods.map((m) => `${m.name} ${m.input.typeName} ${m.output.typeName}`);
      expect(rows).toEqual(
        [
          "CreatePublication CreatePublicationRequest Publication",
          "GetPublication GetPublicationRequest Publication",
          "UpdatePublication UpdatePublicationRequest Publication",
          "DeletePublication DeletePublicationRequest Publication",
          "PullPublication PullPublicationRequest PullPublicationResponse",
          "ListPublications ListPublicationsRequest ListPublicationsResponse",
          "PullPublications PullPublicationsRequest PullPublicationsResponse",
          "AcknowledgePublication AcknowledgePublicationRequest Publication",
        ].map((row) => row.replace(/ (\w+) (\w+)$/, ` ${pkg}.$1 ${pkg}.$2`)),
      );
    });
  });
}

describe("hand-kept wire values match the generated enums", () => {
  it("Publication.Audience.Receipt (pages use PublicationAudienceReceipt without the protobuf runtime)", () => {
    expect(PublicationAudienceReceipt).toEqual({
      RECEIPT_UNSPECIFIED: pb.Publication_Audience_Receipt.RECEIPT_UNSPECIFIED,
      NO_SIGNAL: pb.Publication_Audience_Receipt.NO_SIGNAL,
      ACCEPTED: pb.Publication_Audience_Receipt.ACCEPTED,
      REJECTED: pb.Publication_Audience_Receipt.REJECTED,
    });
  });
});
