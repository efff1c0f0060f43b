/**
 * The functions the bench measures. A new function is one line here: bundle size and cold
 * import (and their ratios to the baseline, bench/baseline.ts) come for free; `operations` and
 * `peakMemory` are optional suites beside it, `bundleRatioTarget` an optional bar.
 */
import type { FunctionSpec, OperationSuite, PeakMemorySuite, SuiteContext } from './context.js';
import { httpOperations } from './http-operations.js';
import { inboundOperations } from './inbound-operations.js';
import { inboundPeakMemory } from './peak-memory.js';
import { ticketPageScale } from './ticket-page-scale.js';

export interface BenchedFunction extends FunctionSpec {
  operations?: OperationSuite;
  peakMemory?: PeakMemorySuite;
  /** Most bundle bytes allowed, as a multiple of the baseline's. */
  bundleRatioTarget?: number;
  /** Most cold import allowed, as a multiple of the baseline's (as deployed). */
  coldImportRatioTarget?: number;
  /** The ticket page at 1, 100 and 1 000 articles (bench/ticket-page-scale.ts). */
  ticketPageScale?: (ctx: SuiteContext) => Promise<Record<string, unknown>>;
}

export const FUNCTIONS: BenchedFunction[] = [
  { name: 'inbound-mail', entry: 'functions/inbound-mail/index.ts', operations: inboundOperations, peakMemory: inboundPeakMemory },
  { name: 'http', entry: 'functions/http/index.ts', operations: httpOperations, bundleRatioTarget: 1.3, coldImportRatioTarget: 1.5, ticketPageScale },
  { name: 'helpdesk-events', entry: 'functions/helpdesk-events/index.ts' },
  { name: 'sweep', entry: 'functions/sweep/index.ts' },
];
