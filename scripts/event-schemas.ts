/**
 * Writes schemas/<detail-type>.json, the JSON Schema of every event on the bus, from the zod
 * schemas that validate them (shared/events/json-schemas.ts), with the default sources of
 * shared/config-defaults.ts. Run `npm run schemas` after changing an event;
 * test/infra/event-schemas.test.ts fails while the committed files differ from what this writes.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS } from '../shared/config-defaults.js';
import { eventSchemas, schemaFileText } from '../shared/events/json-schemas.js';

export const SCHEMAS_DIR = path.join(import.meta.dirname, '..', 'schemas');

/** The sources the committed files name: an integrator's deployment may configure others. */
export const DEFAULT_SOURCES = { own: DEFAULTS.EventSource, helpdesk: DEFAULTS.HelpdeskEventSource };

function main(): void {
  const schemas = eventSchemas(DEFAULT_SOURCES);
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  // A detail-type that no longer exists leaves no stale file behind.
  for (const file of readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.json'))) rmSync(path.join(SCHEMAS_DIR, file));
  for (const schema of schemas) writeFileSync(path.join(SCHEMAS_DIR, schema.fileName), schemaFileText(schema));
  console.log(`wrote ${schemas.length} schemas to ${path.relative(process.cwd(), SCHEMAS_DIR) || '.'}`);
}

if (process.argv[1] === import.meta.filename) main();
