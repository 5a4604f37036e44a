// @vitest-environment happy-dom
import { mount } from "@vue/test-utils";
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { defineComponent, effectScope, h, nextTick, ref } from "vue";
import { PublicationSchema } from "../gen/smartcore/traits/publication_pb.js";
import { FakePubCacheClient } from "../client/testing/fake-pub-cache-client.js";
import type { PublicationUpdate } from "../entries/index.js";
import { pubCachePlugin, providePubCache, usePubCacheClient } from "./pub-cache-plugin.js";
import { usePublication } from "./use-publication.js";

const liveUpdate = (id: string, version: string): PublicationUpdate => ({
  id,
  value: { publication: create(PublicationSchema, { id, version }), source: "stream", receivedAt: 1, lastConfirmedAt: 1 },
  state: { kind: "live" },
});

/** Renders `version state error` of publication `id` (a prop, so tests can change it). */
const Shows = defineComponent({
  props: { id: { type: String, required: true } },
  setup(props) {
    const { value, state, error } = usePublication(() => props.id);
    return () => h("p", `${value.value?.publication.version ?? "-"} ${state.value.kind} ${error.value?.code ?? "-"}`);
  },
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("pubcache-web/vue usePublication", () => {
  it("shows the current update at once, then each change, from the client the plugin provides", async () => {
    const client = new FakePubCacheClient();
    client.emit(liveUpdate("menu", "v1"));
    const wrapper = mount(Shows, { props: { id: "menu" }, global: { plugins: [pubCachePlugin(client)] } });
    expect(wrapper.text()).toBe("v1 live -");

    client.emit({ ...liveUpdate("menu", "v2"), state: { kind: "polling" }, lastError: { code: "invalid-publication", message: "x", at: 2 } });
    await nextTick();
    expect(wrapper.text()).toBe("v2 polling invalid-publication");
    wrapper.unmount();
  });

  it("starts as connecting with no value when nothing is known yet", () => {
    const client = new FakePubCacheClient();
    const wrapper = mount(Shows, { props: { id: "menu" }, global: { plugins: [pubCachePlugin(client)] } });
    expect(wrapper.text()).toBe("- connecting -");
    wrapper.unmount();
  });

  it("releases the subscription when the component unmounts", async () => {
    const client = new FakePubCacheClient();
    const wrapper = mount(Shows, { props: { id: "menu" }, global: { plugins: [pubCachePlugin(client)] } });
    await flush();
    expect(client.listeners("menu")).toBe(1);
    wrapper.unmount();
    expect(client.listeners("menu")).toBe(0);
  });

  it("moves the subscription when the id changes", async () => {
    const client = new FakePubCacheClient();
    client.emit(liveUpdate("menu", "m1"));
    client.emit(liveUpdate("notice", "n1"));
    const wrapper = mount(Shows, { props: { id: "menu" }, global: { plugins: [pubCachePlugin(client)] } });
    await wrapper.setProps({ id: "notice" });
    expect(wrapper.text()).toBe("n1 live -");
    expect(client.listeners("menu")).toBe(0);
    expect(client.listeners("notice")).toBe(1);

    client.emit(liveUpdate("menu", "m2"));
    await nextTick();
    expect(wrapper.text()).toBe("n1 live -");
    wrapper.unmount();
  });

  it("follows a ref id too", async () => {
    const client = new FakePubCacheClient();
    client.emit(liveUpdate("a", "a1"));
    client.emit(liveUpdate("b", "b1"));
    const id = ref("a");
    const scope = effectScope();
    const refs = scope.run(() => usePublication(id, client))!;
    expect(refs.value.value?.publication.version).toBe("a1");
    id.value = "b";
    await nextTick();
    expect(refs.value.value?.publication.version).toBe("b1");
    expect(refs.update.value).toBe(client.peek("b"));
    scope.stop();
    expect(client.listeners("b")).toBe(0);
  });

  it("a component's providePubCache wins over the app's client for its descendants", () => {
    const appClient = new FakePubCacheClient();
    const local = new FakePubCacheClient();
    appClient.emit(liveUpdate("menu", "app"));
    local.emit(liveUpdate("menu", "local"));
    const Parent = defineComponent({
      setup() {
        providePubCache(local);
        return () => h(Shows, { id: "menu" });
      },
    });
    const wrapper = mount(Parent, { global: { plugins: [pubCachePlugin(appClient)] } });
    expect(wrapper.text()).toBe("local live -");
    wrapper.unmount();
  });

  it("says what is missing: no client provided, or no scope to end the subscription", () => {
    const NoClient = defineComponent({
      setup() {
        usePubCacheClient();
        return () => h("p");
      },
    });
    expect(() => mount(NoClient)).toThrow(/no client here.*pubCachePlugin/);
    expect(() => usePublication("menu", new FakePubCacheClient())).toThrow(/needs a component's setup\(\) or an effectScope/);
  });
});
