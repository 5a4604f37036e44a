import { computed, defineComponent, h } from "vue";
import { usePublication, type CacheState } from "pubcache-web/vue";

/** How fresh the notice on screen is, in words. */
export function describeState(state: CacheState): string {
  switch (state.kind) {
    case "live":
      return "live";
    case "retrying":
      return `offline, retrying at ${new Date(state.nextAttemptAt).toLocaleTimeString()}`;
    default:
      return state.kind;
  }
}

/** One publication shown as a notice, with its version and freshness. */
export const NoticeBoard = defineComponent({
  props: { id: { type: String, required: true } },
  setup(props) {
    const { value, state, error } = usePublication(() => props.id);
    const text = computed(() => (value.value ? new TextDecoder().decode(value.value.publication.body) : ""));
    return () =>
      h("article", { "data-publication": props.id, "data-version": value.value?.publication.version ?? "", "data-state": state.value.kind }, [
        h("h1", props.id),
        h("p", { class: "body" }, text.value || "Nothing to show yet."),
        h("p", { class: "state" }, describeState(state.value)),
        error.value ? h("p", { class: "error" }, error.value.message) : null,
      ]);
  },
});
