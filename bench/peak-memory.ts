/**
 * Peak memory for a 10 MB mail: a fresh Node process imports the function's bundle with the
 * function's environment pointing at the local peers, handles a small mail first (so lazy
 * initialisation is behind us: SDK clients, connections, parsers), then the 10 MB one.
 * The peak is the kernel's high-water mark (resourceUsage().maxRSS), which also catches
 * spikes inside synchronous parsing that a timer cannot sample; the sampled peaks are beside it.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { runChild } from './child.js';
import { functionEnv, peerEndpoints, type PeakMemorySuite } from './context.js';
import { mime, sesEvent } from '../test/support/mail.js';
import { mb, round } from './stats.js';

const MAIL_BYTES = 10 * 1024 * 1024;
/** Base64 in 76-character lines: 57 bytes of attachment become 78 bytes of MIME. */
const ATTACHMENT_BYTES = Math.floor(((MAIL_BYTES - 2048) * 57) / 78);

const MEMORY_SCRIPT = `
const { handler } = await import(process.env.BENCH_BUNDLE_URL);
const [warmEvent, bigEvent] = JSON.parse(process.env.BENCH_EVENTS);
const context = (awsRequestId) => ({
  functionName: 'inbound-mail', functionVersion: '$LATEST', memoryLimitInMB: '512', awsRequestId,
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:inbound-mail',
  logGroupName: '/aws/lambda/inbound-mail', logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30000, done() {}, fail() {}, succeed() {},
});
const afterImportRss = process.memoryUsage.rss();
const warm = await handler(warmEvent, context('warm-up'));
const baseline = process.memoryUsage();
const baselineMaxRss = process.resourceUsage().maxRSS * 1024;
const peak = { rss: baseline.rss, heapUsed: baseline.heapUsed, external: baseline.external, arrayBuffers: baseline.arrayBuffers };
const sample = () => { const m = process.memoryUsage(); for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]); };
const timer = setInterval(sample, 5);
const started = performance.now();
const big = await handler(bigEvent, context('ten-mb'));
const ms = performance.now() - started;
clearInterval(timer);
sample();
await report({ afterImportRss, baseline, baselineMaxRss, peak, maxRss: process.resourceUsage().maxRSS * 1024, ms, outcomes: [...warm.outcomes, ...big.outcomes] });
`;

interface MemoryResult {
  afterImportRss: number;
  baseline: NodeJS.MemoryUsage;
  baselineMaxRss: number;
  peak: { rss: number; heapUsed: number; external: number; arrayBuffers: number };
  maxRss: number;
  ms: number;
  outcomes: string[];
}

export const inboundPeakMemory: PeakMemorySuite = async ({ fn, bundleFile, peers, log }) => {
  const small = await mime({ from: 'warm@memory.example', subject: 'Warm-up', text: 'A small mail first.' });
  const big = await mime({
    from: 'Big Sender <big@memory.example>',
    subject: 'Scan of the contract',
    text: 'The scan is attached.',
    attachments: [{ filename: 'contract-scan.pdf', contentType: 'application/pdf', content: randomBytes(ATTACHMENT_BYTES) }],
  });
  await peers.putRawMail('inbound/benchmemwarm', small);
  await peers.putRawMail('inbound/benchmembig', big);
  log(`peak memory: ${mb(big.byteLength)} MB mail through the ${fn.name} bundle in a fresh process`);

  const { result: r } = await runChild<MemoryResult>({
    label: `peak memory of ${fn.name}`,
    script: MEMORY_SCRIPT,
    env: {
      ...functionEnv(fn, peerEndpoints(peers), { sourceMaps: true }),
      BENCH_BUNDLE_URL: pathToFileURL(bundleFile).href,
      // Real time: the deployed handler uses the system clock.
      BENCH_EVENTS: JSON.stringify([sesEvent('benchmemwarm', {}, new Date().toISOString()), sesEvent('benchmembig', {}, new Date().toISOString())]),
    },
    timeoutMs: 60_000,
  });
  if (r.outcomes.join() !== 'replied,replied') throw new Error(`peak memory of ${fn.name}: expected two replies, got ${r.outcomes.join(', ')}`);
  return {
    scope: 'bundled handler in a fresh Node process, --enable-source-maps as deployed, against the local peers; RSS in MiB',
    mailBytes: big.byteLength,
    attachmentBytes: ATTACHMENT_BYTES,
    outcome: 'replied',
    processingMs: round(r.ms),
    afterImportRssMb: mb(r.afterImportRss),
    baselineRssMb: mb(r.baseline.rss),
    baselineHeapUsedMb: mb(r.baseline.heapUsed),
    peakRssMb: mb(r.maxRss),
    peakAboveBaselineMb: mb(r.maxRss - r.baseline.rss),
    peakBeforeMailMb: mb(r.baselineMaxRss),
    sampledPeak: { rssMb: mb(r.peak.rss), heapUsedMb: mb(r.peak.heapUsed), externalMb: mb(r.peak.external), arrayBuffersMb: mb(r.peak.arrayBuffers) },
  };
};
