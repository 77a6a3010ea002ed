import type { main } from '../../src/cli/main.js';

/** The CLI's entry, as a bundle built from a modified copy of src/ exports it. */
export type Main = typeof main;
