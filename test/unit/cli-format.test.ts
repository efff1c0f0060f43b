import { describe, expect, it } from '@jest/globals';
import { cell, json, safe, table } from '../../cli/format.js';

describe('CLI output', () => {
  it('aligns columns to the widest cell', () => {
    const out = table([{ a: 'x', b: 'long value' }, { a: 'longer', b: 'y' }], [
      { header: 'A', value: (r) => r.a },
      { header: 'B', value: (r) => r.b },
    ]);
    expect(out.split('\n')).toEqual(['A       B', 'x       long value', 'longer  y']);
  });

  it('keeps terminal escape sequences and bidi overrides from a mail out of the terminal', () => {
    const hostile = 'Invoice\u001b]0;pwned\u0007\u001b[2J \u202egnp.exe \u009b31m';
    expect(cell(hostile)).toBe('Invoice\\u001b]0;pwned\\u0007\\u001b[2J \\u202egnp.exe \\u009b31m');
    expect(safe('line 1\r\nline 2\tend')).toBe('line 1\nline 2\tend');
    expect(cell('line 1\nline 2')).toBe('line 1 line 2');
    const doc = json({ subject: hostile });
    // eslint-disable-next-line no-control-regex -- asserting that none is left
    expect(doc).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(doc)).toEqual({ subject: hostile });
  });

  it('shortens long cells and shows empty values as -', () => {
    expect(cell('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect([cell(undefined), cell(''), cell(true), cell(false)]).toEqual(['-', '-', 'yes', 'no']);
  });
});
