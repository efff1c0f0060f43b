/**
 * Peak memory of the inbound function for big mail (SES accepts up to 40 MB): 10, 20 and 40 MB
 * (10 with --quick) of plain text, of HTML only, and of one base64 attachment. Each case runs in a fresh Node process
 * that imports the function's bundle with the function's environment pointing at the local peers,
 * handles a small mail first (so lazy initialisation is behind us: SDK clients, connections,
 * parsers), then the big one. The peak is the kernel's high-water mark (resourceUsage().maxRSS),
 * which also catches spikes inside synchronous parsing that a timer cannot sample.
 * Target: at most 384 MB in every case (the function has 512 MB).
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { runChild } from './child.js';
import { DEPLOYED_SOURCE_MAPS } from './cold-import.js';
import { functionEnv, peerEndpoints, type PeakMemorySuite } from './context.js';
import { mime, sesEvent } from '../harness/mail.js';
import { mb, round } from './stats.js';

export const PEAK_RSS_TARGET_MB = 384;
const KINDS = ['text', 'html', 'attachment'] as const;
type Kind = (typeof KINDS)[number];

const MEMORY_SCRIPT = `
const { handler } = await import(process.env.BENCH_BUNDLE_URL);
const [warmEvent, bigEvent] = JSON.parse(process.env.BENCH_EVENTS);
const context = (awsRequestId) => ({
  functionName: 'inbound-mail', functionVersion: '$LATEST', memoryLimitInMB: '512', awsRequestId,
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:inbound-mail',
  logGroupName: '/aws/lambda/inbound-mail', logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30000, done() {}, fail() {}, succeed() {},
});
const warm = await handler(warmEvent, context('warm-up'));
const baseline = process.memoryUsage.rss();
const started = performance.now();
const big = await handler(bigEvent, context('big'));
const ms = performance.now() - started;
await report({ baseline, maxRss: process.resourceUsage().maxRSS * 1024, ms, outcomes: [...warm.outcomes, ...big.outcomes] });
`;

/** A mail of about `bytes` bytes of the given kind, as raw MIME (built line by line: no giant string twice). */
function bigMail(kind: Kind, bytes: number, from: string): Buffer {
  const header = (type: string, extra = '') => `From: Big Sender <${from}>\r\nTo: support@example.com\r\nSubject: ${kind} of ${mb(bytes)} MB\r\nMIME-Version: 1.0\r\n${extra}Content-Type: ${type}\r\n\r\n`;
  if (kind === 'attachment') {
    const payload = randomBytes(Math.floor((bytes * 57) / 78)).toString('base64').replace(/(.{76})/g, '$1\r\n');
    return Buffer.from(
      `${header('multipart/mixed; boundary="b"')}--b\r\nContent-Type: text/plain\r\n\r\nThe scan is attached.\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="scan.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${payload}\r\n--b--\r\n`,
    );
  }
  const line = kind === 'text' ? 'The printer on the third floor is on fire again, please send help. Ø €\r\n' : '<p>The printer on the <b>third</b> floor is on fire again, please send <i>help</i>. Ø €</p>\r\n';
  const body = Buffer.alloc(bytes);
  const chunk = Buffer.from(line, 'utf8');
  for (let at = 0; at + chunk.length <= bytes; at += chunk.length) chunk.copy(body, at);
  return Buffer.concat([Buffer.from(header(`text/${kind === 'text' ? 'plain' : 'html'}; charset=utf-8`, kind === 'html' ? '' : '')), body]);
}

export const inboundPeakMemory: PeakMemorySuite = async ({ fn, bundleFile, peers, settings, log }) => {
  const cases: Record<string, unknown> = {};
  let worst = 0;
  for (const kind of KINDS) {
    for (const size of settings.peakMemorySizesMb) {
      const id = `benchmem${kind}${size}`;
      const raw = bigMail(kind, size * 1024 * 1024, `${kind}${size}@memory.example`);
      // A new small mail each time: the same one again would be a duplicate, not a warm-up.
      await peers.putRawMail(`inbound/${id}warm`, await mime({ from: `warm-${id}@memory.example`, subject: 'Warm-up', text: 'A small mail first.' }));
      await peers.putRawMail(`inbound/${id}`, raw);
      log(`peak memory: ${mb(raw.byteLength)} MB ${kind} mail through the ${fn.name} bundle in a fresh process`);
      const { result: r } = await runChild<{ baseline: number; maxRss: number; ms: number; outcomes: string[] }>({
        label: `peak memory of ${fn.name} (${kind}, ${size} MB)`,
        script: MEMORY_SCRIPT,
        env: {
          ...functionEnv(fn, peerEndpoints(peers), { sourceMaps: DEPLOYED_SOURCE_MAPS }),
          BENCH_BUNDLE_URL: pathToFileURL(bundleFile).href,
          // Real time: the deployed handler uses the system clock.
          BENCH_EVENTS: JSON.stringify([sesEvent(`${id}warm`, {}, new Date().toISOString()), sesEvent(id, {}, new Date().toISOString())]),
        },
        timeoutMs: 120_000,
      });
      if (r.outcomes.join() !== 'replied,replied') throw new Error(`peak memory (${kind}, ${size} MB): expected two replies, got ${r.outcomes.join(', ')}`);
      worst = Math.max(worst, r.maxRss);
      cases[`${kind}-${size}mb`] = { mailBytes: raw.byteLength, processingMs: round(r.ms), baselineRssMb: mb(r.baseline), peakRssMb: mb(r.maxRss), peakAboveBaselineMb: mb(r.maxRss - r.baseline) };
    }
  }
  return {
    scope: `bundled handler in a fresh Node process per case, ${DEPLOYED_SOURCE_MAPS ? '--enable-source-maps' : 'no source maps'} as deployed, against the local peers; RSS in MiB`,
    targetPeakRssMb: PEAK_RSS_TARGET_MB,
    worstPeakRssMb: mb(worst),
    withinTarget: mb(worst) <= PEAK_RSS_TARGET_MB,
    cases,
  };
};
