/**
 * The functions the bench measures. A new function is one line here: bundle size and cold
 * import come for free; `operations` and `peakMemory` are optional suites beside it.
 */
import type { FunctionSpec, OperationSuite, PeakMemorySuite } from './context.js';
import { inboundOperations } from './inbound-operations.js';
import { inboundPeakMemory } from './peak-memory.js';

export interface BenchedFunction extends FunctionSpec {
  operations?: OperationSuite;
  peakMemory?: PeakMemorySuite;
}

export const FUNCTIONS: BenchedFunction[] = [
  { name: 'inbound-mail', entry: 'functions/inbound-mail/index.ts', operations: inboundOperations, peakMemory: inboundPeakMemory },
  // { name: 'redeem-link', entry: 'functions/redeem-link.ts' },
  // { name: 'sweep-closed-tickets', entry: 'functions/sweep-closed-tickets.ts' },
];
