// @vitest-environment happy-dom
import { act, cleanup, render, renderHook, screen } from "@testing-library/react";
import { create } from "@bufbuild/protobuf";
import { createElement, StrictMode, type ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { FakePubCacheClient } from "../client/testing/fake-pub-cache-client.js";
import type { PublicationUpdate } from "../entries/index.js";
import { PubCacheProvider } from "./pub-cache-provider.js";
import { usePublication } from "./use-publication.js";

const liveUpdate = (id: string, version: string): PublicationUpdate => ({
  id,
  value: { publication: create(PublicationSchema, { id, version }), source: "stream", receivedAt: 1, lastConfirmedAt: 1 },
  state: { kind: "live" },
});

function Shows({ id }: { id: string }) {
  const { value, state, error } = usePublication(id);
  return createElement("p", { "data-testid": "shown" }, `${value?.publication.version ?? "-"} ${state.kind} ${error?.code ?? "-"}`);
}

const within = (client: FakePubCacheClient, children: ReactNode) =>
  createElement(StrictMode, null, createElement(PubCacheProvider, { client }, children));

const flush = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));

afterEach(cleanup);

describe("pubcache-web/react usePublication", () => {
  it("renders the current update at once, then each change", async () => {
    const client = new FakePubCacheClient();
    client.emit(liveUpdate("menu", "v1"));
    render(within(client, createElement(Shows, { id: "menu" })));
    expect(screen.getByTestId("shown").textContent).toBe("v1 live -");

    act(() => client.emit({ ...liveUpdate("menu", "v2"), state: { kind: "polling" }, lastError: { code: "invalid-publication", message: "x", at: 2 } }));
    expect(screen.getByTestId("shown").textContent).toBe("v2 polling invalid-publication");
  });

  it("starts as connecting with no value when nothing is known yet", () => {
    render(within(new FakePubCacheClient(), createElement(Shows, { id: "menu" })));
    expect(screen.getByTestId("shown").textContent).toBe("- connecting -");
  });

  it("releases the subscription on unmount (StrictMode's extra mount included)", async () => {
    const client = new FakePubCacheClient();
    const { unmount } = render(within(client, createElement(Shows, { id: "menu" })));
    await flush();
    expect(client.listeners("menu")).toBe(1);
    unmount();
    expect(client.listeners("menu")).toBe(0);
  });

  it("moves the subscription when the id changes", async () => {
    const client = new FakePubCacheClient();
    client.emit(liveUpdate("menu", "m1"));
    client.emit(liveUpdate("notice", "n1"));
    const { rerender } = render(within(client, createElement(Shows, { id: "menu" })));
    rerender(within(client, createElement(Shows, { id: "notice" })));
    await flush();
    expect(screen.getByTestId("shown").textContent).toBe("n1 live -");
    expect(client.listeners("menu")).toBe(0);
    expect(client.listeners("notice")).toBe(1);
  });

  it("returns the same object while the update does not change, a new one when it does", () => {
    const client = new FakePubCacheClient();
    client.emit(liveUpdate("menu", "v1"));
    const wrapper = ({ children }: { children: ReactNode }) => createElement(PubCacheProvider, { client }, children);
    const { result, rerender } = renderHook(() => usePublication("menu"), { wrapper });
    const first = result.current;
    rerender();
    expect(result.current).toBe(first);
    expect(first.update).toBe(client.peek("menu"));
    act(() => client.emit(liveUpdate("menu", "v2")));
    expect(result.current).not.toBe(first);
    expect(result.current.value?.publication.version).toBe("v2");
  });

  it("says what is missing without a provider", () => {
    expect(() => renderHook(() => usePublication("menu"))).toThrow(/no client here.*PubCacheProvider/);
  });
});
