/** The clock, recorders and request counters: shared with bench/, so they live in harness/fakes.ts; tests import them from here. */
export * from '../../harness/fakes.js';
