import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { rejectionReason } from "./validate-publication.js";

describe("rejectionReason", () => {
  it("accepts the publication that was asked for", () => {
    expect(rejectionReason(create(PublicationSchema, { id: "a" }), "a")).toBeUndefined();
  });

  it.each([
    ["a missing publication", undefined],
    ["an empty id", create(PublicationSchema, { id: "" })],
    ["another id", create(PublicationSchema, { id: "b" })],
    ["an id differing only in case", create(PublicationSchema, { id: "A" })],
  ])("rejects %s", (_, publication) => {
    expect(rejectionReason(publication, "a")).toEqual(expect.any(String));
  });
});
