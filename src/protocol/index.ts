export * from "./messages.js";
export * from "./parse-messages.js";
export * from "./publication-ref.js";
export * from "./engine-tuning.js";
export * from "./wire-snapshot.js";
export * from "./to-wire-snapshot.js";
export * from "./publication-decoder.js";
