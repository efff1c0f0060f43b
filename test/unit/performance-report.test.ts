/**
 * The performance page is generated, never edited: the committed docs/performance.md must be what
 * scripts/performance-report.ts makes of the committed bench/results.json, and each figure on it
 * comes from that JSON.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PAGE, RESULTS, renderPerformancePage } from '../../scripts/performance-report.js';
import type { Report } from '../../scripts/performance-sections.js';

const ROOT = path.join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const meta: Report['meta'] = {
  date: '2026-12-01T10:00:00.000Z',
  node: 'v24.0.0',
  cpus: 2,
  cpuModel: 'Some CPU',
  totalMemoryMb: 4096,
  loadAverage: [0.5, 0.4, 0.3],
  git: { commit: '0123456789abcdef', dirty: false },
  durationMs: 61_000,
  suites: ['sweep'],
};

describe('docs/performance.md', () => {
  it(`is what npm run bench:report makes of ${RESULTS} (run it after the bench, and commit both)`, () => {
    // Prepare
    const results = JSON.parse(read(RESULTS)) as Report;

    // Act
    const page = renderPerformancePage(results);

    // Assert
    expect(read(PAGE)).toBe(page);
  });

  it('takes each figure from the report: the bar, the measured value and whether it was met', () => {
    // Prepare
    const report: Report = { meta, targets: { 'http-bundle-vs-baseline': { what: 'bytes at a cold start', max: 1.3, measured: 1.87, met: false } } };

    // Act
    const page = renderPerformancePage(report);

    // Assert
    expect(page).toContain('| `http-bundle-vs-baseline` | bytes at a cold start | ≤ 1.3× | 1.87× | **missed** |');
    expect(page).toContain('commit `0123456789`, Node 24.0.0 on 2 × Some CPU');
  });

  it('says a quick run is rough, and leaves out the sections of suites the run left out', () => {
    // Prepare
    const report: Report = { meta: { ...meta, quick: true, git: { commit: '0123456789abcdef', dirty: true } }, targets: {} };

    // Act
    const page = renderPerformancePage(report);

    // Assert
    expect(page).toContain('A quick run');
    expect(page).toContain('with uncommitted changes');
    expect(page).not.toMatch(/## (Bundles|The sweep|Load)/);
  });
});
