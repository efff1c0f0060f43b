/**
 * EventBridge event patterns for the local bus: checked the way PutRule checks them, and matched
 * against the envelope a target receives. No maintained npm package matches EventBridge patterns
 * (the one that claimed to is not on the registry), so this covers the filters a helpdesk
 * subscription needs and refuses the rest by name, rather than matching them wrongly:
 *
 *   exact values (strings, numbers, booleans, null) · `prefix` · `suffix` · `equals-ignore-case`
 *   · `anything-but` (a value, a list, or a prefix / suffix) · `exists` · `numeric`
 *
 * Not here: `wildcard`, `cidr`, `$or`, and `ignore-case` forms inside `prefix` / `suffix`.
 * A field that is an array in the event matches when any of its elements matches.
 */

export type EventPattern = { [field: string]: EventPattern | unknown[] };

/** PutRule's answer to a pattern it cannot use. */
export class InvalidPatternError extends Error {
  override name = 'InvalidEventPatternException';
}

const MAX_PATTERN_LENGTH = 4096;
const NUMERIC_OPS = new Set(['<', '<=', '=', '>', '>=']);
const UNSUPPORTED = new Set(['wildcard', 'cidr', '$or']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** Parses and checks a pattern as PutRule does; the error names the field that is wrong. */
export function parsePattern(text: string): EventPattern {
  if (text.length > MAX_PATTERN_LENGTH) throw new InvalidPatternError(`Event pattern is not valid. Reason: it is longer than ${MAX_PATTERN_LENGTH} characters`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidPatternError('Event pattern is not valid. Reason: it is not JSON');
  }
  if (!isObject(value) || Object.keys(value).length === 0) throw new InvalidPatternError('Event pattern is not valid. Reason: it must be a non-empty JSON object');
  checkLevel(value, '');
  return value as EventPattern;
}

function checkLevel(level: Record<string, unknown>, path: string): void {
  for (const [field, spec] of Object.entries(level)) {
    const where = `${path}${field}`;
    if (UNSUPPORTED.has(field)) throw new InvalidPatternError(`Event pattern is not valid. Reason: "${field}" is not supported by the local event bus`);
    if (isObject(spec)) {
      checkLevel(spec, `${where}.`);
      continue;
    }
    if (!Array.isArray(spec) || spec.length === 0) throw new InvalidPatternError(`Event pattern is not valid. Reason: "${where}" must be an object or a non-empty array`);
    for (const matcher of spec) checkMatcher(matcher, where);
  }
}

function checkMatcher(m: unknown, where: string): void {
  if (isScalar(m)) return;
  const bad = (why: string) => new InvalidPatternError(`Event pattern is not valid. Reason: "${where}": ${why}`);
  if (!isObject(m) || Object.keys(m).length !== 1) throw bad('a matcher is a value or an object with one filter');
  const [[filter, arg]] = Object.entries(m) as [[string, unknown]];
  if (UNSUPPORTED.has(filter)) throw bad(`"${filter}" is not supported by the local event bus`);
  if (filter === 'prefix' || filter === 'suffix' || filter === 'equals-ignore-case') {
    if (typeof arg !== 'string') throw bad(`"${filter}" takes a string`);
  } else if (filter === 'exists') {
    if (typeof arg !== 'boolean') throw bad('"exists" takes true or false');
  } else if (filter === 'numeric') {
    const ok = Array.isArray(arg) && arg.length > 0 && arg.length % 2 === 0 && arg.every((x, i) => (i % 2 === 0 ? NUMERIC_OPS.has(x as string) : typeof x === 'number'));
    if (!ok) throw bad('"numeric" takes operator/number pairs, e.g. [">", 0, "<=", 5]');
  } else if (filter === 'anything-but') {
    const ok = isScalar(arg) || (Array.isArray(arg) && arg.length > 0 && arg.every(isScalar)) || (isObject(arg) && Object.keys(arg).length === 1 && ['prefix', 'suffix'].some((k) => typeof arg[k] === 'string'));
    if (!ok) throw bad('"anything-but" takes a value, a list of values, or {"prefix": …} / {"suffix": …}');
  } else {
    throw bad(`unknown filter "${filter}"`);
  }
}

/** Whether an event (the envelope a target receives) matches a checked pattern. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchLevel(pattern, event);
}

function matchLevel(pattern: EventPattern, value: unknown): boolean {
  if (Array.isArray(value)) return value.some((element) => matchLevel(pattern, element));
  if (!isObject(value)) return false;
  return Object.entries(pattern).every(([field, spec]) => (Array.isArray(spec) ? matchLeaf(spec, value[field], field in value) : matchLevel(spec, value[field])));
}

function matchLeaf(matchers: unknown[], value: unknown, present: boolean): boolean {
  const values = Array.isArray(value) ? value : [value];
  return matchers.some((m) => {
    if (isObject(m) && 'exists' in m) return m.exists === (present && !isObject(value));
    return present && values.some((v) => matchOne(m, v));
  });
}

function matchOne(m: unknown, v: unknown): boolean {
  if (!isObject(m)) return m === v;
  const [[filter, arg]] = Object.entries(m) as [[string, unknown]];
  const text = typeof v === 'string' ? v : undefined;
  switch (filter) {
    case 'prefix':
      return text !== undefined && text.startsWith(arg as string);
    case 'suffix':
      return text !== undefined && text.endsWith(arg as string);
    case 'equals-ignore-case':
      return text !== undefined && text.toLowerCase() === (arg as string).toLowerCase();
    case 'numeric':
      return typeof v === 'number' && numericHolds(arg as (string | number)[], v);
    case 'anything-but':
      if (isObject(arg)) return text !== undefined && !('prefix' in arg ? text.startsWith(arg.prefix as string) : text.endsWith(arg.suffix as string));
      return !(Array.isArray(arg) ? arg : [arg]).includes(v);
    default:
      return false;
  }
}

function numericHolds(ranges: (string | number)[], v: number): boolean {
  for (let i = 0; i < ranges.length; i += 2) {
    const bound = ranges[i + 1] as number;
    const holds = { '<': v < bound, '<=': v <= bound, '=': v === bound, '>': v > bound, '>=': v >= bound }[ranges[i] as string];
    if (!holds) return false;
  }
  return true;
}
