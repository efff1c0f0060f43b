/** `npm start`'s stack as a child process: shared with bench/, so they live in harness/local-stack.ts; tests import them from here. */
export * from '../../harness/local-stack.js';
