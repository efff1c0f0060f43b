/**
 * `npm run check:html`: every state of every customer page (harness/page-states.ts), rendered from
 * shared/web in both languages, checked by the W3C Nu Html Checker (vnu-jar from npm; it needs Java
 * 17+, so it runs from .ci/run and by hand, not inside `npm test`, which needs only Node and npm —
 * docs/testing.md, "Valid HTML"). Exits non-zero on any error, naming the page and the line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PAGE_STATES } from '../harness/page-states.js';

/** vnu-jar's main module is the jar's path (a String object). */
const vnuJar = (): string => String(createRequire(import.meta.url)('vnu-jar'));

function main(): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'ota-html-'));
  try {
    const files = Object.entries(PAGE_STATES).map(([state, html]) => {
      const file = path.join(dir, `${state.replace(/^\//, '').replace(/[^\w-]/g, '_') || 'index'}.html`);
      writeFileSync(file, html);
      return file;
    });
    const run = spawnSync('java', ['-jar', vnuJar(), '--errors-only', '--format', 'gnu', ...files], { encoding: 'utf8' });
    if (run.error) {
      process.stderr.write(`check:html: could not run java (${run.error.message}); the Nu Html Checker needs Java 17 or later on the PATH\n`);
      return 2;
    }
    const findings = `${run.stdout}${run.stderr}`.trim().replaceAll(`${dir}/`, '');
    if (run.status !== 0) {
      const pages = new Set([...findings.matchAll(/"file:([^"]+)"/g)].map((m) => m[1]));
      process.stderr.write(`${findings}\ncheck:html: the Nu Html Checker found errors in ${pages.size} of ${files.length} page states\n`);
      return run.status ?? 1;
    }
    process.stdout.write(`check:html: ${files.length} page states valid (W3C Nu Html Checker, errors)\n`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
