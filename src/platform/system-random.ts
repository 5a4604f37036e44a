import type { RandomSource } from "../core/random.js";

/** The runtime's Math.random, kept out of the core so tests can seed theirs. */
export const systemRandom: RandomSource = () => Math.random();
