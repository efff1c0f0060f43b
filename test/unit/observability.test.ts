/** The Logger port: keys per invocation on every line, errors formatted as Powertools does, nothing shared. */
import { describe, expect, it, jest } from '@jest/globals';
import { createLogger, loggerPort } from '../../shared/observability.js';

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
