import type { Language } from '../../config.js';

/** Binary units as mail clients show them; the number follows the language's conventions. */
export function bytesIn(language: Language, word: string) {
  const units = ['KB', 'MB', 'GB', 'TB'];
  return (size: number): string => {
    const n = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    if (!Number.isFinite(size) || size < 1024) return `${n.format(Math.max(0, Math.round(size) || 0))} ${word}`;
    let value = size / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return `${n.format(value)} ${units[unit]}`;
  };
}
