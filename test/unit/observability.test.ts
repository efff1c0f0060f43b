/**
 * The Logger port: keys per invocation on every line, errors formatted as Powertools does, nothing shared.
 * Powertools Metrics as the functions build it: quiet about a run that counted nothing, nothing else lost.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { createLogger, loggerPort, metricsWarnings } from '../../shared/observability.js';

function capture(act: () => void): Record<string, unknown>[] {
  // Powertools writes warnings and errors to stderr, the rest to stdout: in the order written.
  const lines: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) => jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)));
  try {
    act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.flatMap((l) => l.split('\n')).filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('the logger port', () => {
  it('adds the keys of each withKeys to its own lines only, and formats an error under `error`', () => {
    const root = loggerPort(createLogger({ POWERTOOLS_SERVICE_NAME: 'unit', POWERTOOLS_LOG_LEVEL: 'INFO' }));
    const a = root.withKeys({ request: 'a' }).withKeys({ ticketNumber: '1' });
    const b = root.withKeys({ request: 'b' });

    const lines = capture(() => {
      a.info('one', { outcome: 'x' });
      b.error('two', new Error('boom'));
      root.warn('three');
    });

    expect(lines.map(({ message, request, ticketNumber, outcome }) => ({ message, request, ticketNumber, outcome }))).toEqual([
      { message: 'one', request: 'a', ticketNumber: '1', outcome: 'x' },
      { message: 'two', request: 'b', ticketNumber: undefined, outcome: undefined },
      { message: 'three', request: undefined, ticketNumber: undefined, outcome: undefined },
    ]);
    expect(lines[1]?.error).toMatchObject({ name: 'Error', message: 'boom', stack: expect.stringContaining('Error: boom') });
  });
});

function recorder() {
  const lines: string[] = [];
  const write = (...content: unknown[]) => void lines.push(content.map(String).join(' '));
  return { lines, out: { debug: write, info: write, warn: write, error: write } };
}

/** What Metrics writes to stdout (its EMF lines), while `act` runs. */
function stdoutOf(act: () => void): string {
  let written = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((written += String(chunk)), true));
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return written;
}

const initialization = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
afterEach(() => {
  jest.restoreAllMocks();
  if (initialization === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = initialization;
});

describe('metrics warnings', () => {
  it('says nothing when an invocation counted nothing, and still warns about a bad dimension', () => {
    // Prepare
    const { lines, out } = recorder();
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'relay', logger: metricsWarnings(out) });

    // Act
    const emf = stdoutOf(() => metrics.publishStoredMetrics());
    metrics.addDimension('', 'x');

    // Assert
    expect(emf).toBe('');
    expect(lines).toEqual([expect.stringContaining("The dimension  doesn't meet the requirements")]);
    expect(lines.join('\n')).not.toContain('No application metrics');
  });

  it('publishes real metrics and the cold-start metric as before', () => {
    // Prepare: a container Lambda started for an invocation (Powertools counts cold starts only then)
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
    const { lines, out } = recorder();
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'relay', logger: metricsWarnings(out) });

    // Act
    const emf = stdoutOf(() => {
      metrics.captureColdStartMetric();
      metrics.addMetric('OutboxRelayed', MetricUnit.Count, 2);
      metrics.publishStoredMetrics();
    });

    // Assert: two EMF documents, one per metric set
    const documents = emf.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(documents).toEqual([expect.objectContaining({ ColdStart: 1 }), expect.objectContaining({ OutboxRelayed: 2, service: 'relay' })]);
    expect(lines).toEqual([]);
  });
});
