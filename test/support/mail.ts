/** Test mail as real MIME, and SES receipt events: shared with bench/, so they live in harness/mail.ts; tests import them from here. */
export * from '../../harness/mail.js';
