/**
 * Human output: aligned tables and label/value blocks, dates as stored (ISO-8601, UTC).
 * Everything shown may come from a stranger's mail, so control and bidi characters are made
 * visible instead of reaching the operator's terminal (escape sequences could rewrite it).
 */

// C0 controls except tab and newline, DEL, C1 controls, bidi marks, overrides and isolates
// (U+061C, U+200E/F, U+202A–E, U+2066–9), and the line and paragraph separators U+2028/9.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves raw of the above. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text for one line: unsafe characters escaped, line breaks and tabs shown as spaces. */
export function cell(value: unknown, max = 60): string {
  const text = safe(value).replace(/[\t\n]/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Multi-line text with unsafe characters escaped (newlines kept). */
export function safe(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value).replace(/\r\n?/g, '\n').replace(UNSAFE, escapeChar);
}

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
  max?: number;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table<T>(rows: T[], columns: Column<T>[]): string {
  const cells = [columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => cell(c.value(r), c.max)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]?.length ?? 0)));
  return cells.map((line) => line.map((text, i) => (i === line.length - 1 ? text : text.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

/** Label/value lines, labels aligned. */
export function fields(pairs: [label: string, value: unknown][], indent = '  '): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${indent}${label.padEnd(width)}  ${cell(value, 200)}`).join('\n');
}

export function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line ? prefix + line : line))
    .join('\n');
}

const ENGLISH = new Intl.PluralRules('en');

/** "1 delivery", "5 deliveries": the caller names both forms, since English plurals are not just an "s". */
export function plural(n: number, one: string, other: string): string {
  return `${n} ${ENGLISH.select(n) === 'one' ? one : other}`;
}

/**
 * JSON for scripts. JSON.stringify leaves DEL, C1 and bidi characters raw; escaping them keeps
 * the document identical for a parser and harmless for a terminal.
 */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, escapeChar);
}
