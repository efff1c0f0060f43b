import { describe, expect, it } from '@jest/globals';
import { cell, json, plural, safe, table } from '../../cli/format.js';

describe('CLI output', () => {
  it('counts with the plural the caller names, not a bare "s"', () => {
    expect(plural(5, 'delivery', 'deliveries')).toBe('5 deliveries');
    expect(plural(1, 'delivery', 'deliveries')).toBe('1 delivery');
    expect(plural(0, 'entry', 'entries')).toBe('0 entries');
  });

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

  it.each([
    ['the Arabic letter mark U+061C', '\u061c', '\\u061c'],
    ['the line separator U+2028', '\u2028', '\\u2028'],
    ['the paragraph separator U+2029', '\u2029', '\\u2029'],
  ])('shows %s escaped, in text and in JSON', (_label, character, escaped) => {
    expect(cell(`a${character}b`)).toBe(`a${escaped}b`);
    expect(json({ s: `a${character}b` })).toContain(`a${escaped}b`);
    expect(JSON.parse(json({ s: `a${character}b` }))).toEqual({ s: `a${character}b` });
  });

  it('shortens long cells and shows empty values as -', () => {
    expect(cell('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect([cell(undefined), cell(''), cell(true), cell(false)]).toEqual(['-', '-', 'yes', 'no']);
  });
});
