/** receive-mail wired to the local peers: shared with bench/, so they live in harness/inbound.ts; tests import them from here. */
export * from '../../harness/inbound.js';
