/** Per-suite local peers (dynalite, the SES and S3 emulators, the event bus): shared with bench/, so they live in harness/peers.ts; tests import them from here. */
export * from '../../harness/peers.js';
