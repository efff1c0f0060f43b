/**
 * The event schemas integrators get: the JSON Schemas committed under schemas/ are what the
 * generator makes from the zod schemas now (npm run schemas), and the stateless stack's schema
 * registry holds the same documents, with the deployment's configured sources.
 */
import { describe, it, expect } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HELPDESK_DETAILS, OWN_DETAILS } from '../../shared/events/helpdesk.js';
import { eventSchemas, schemaFileText } from '../../shared/events/json-schemas.js';
import { PUBLISHED_DETAILS, publishedDetailProblems } from '../../shared/events/published.js';
import { DEFAULT_SOURCES, SCHEMAS_DIR } from '../../scripts/event-schemas.js';
import { SKIP_BUNDLING, synthTemplates, TEST_CONFIG } from './synth.js';

const generated = eventSchemas(DEFAULT_SOURCES);
type Doc = { properties: Record<string, { enum?: string[]; $ref?: string }>; definitions: Record<string, { properties: Record<string, unknown>; required?: string[] }> } & Record<string, unknown>;
const doc = (detailType: string, schemas = generated) => schemas.find((s) => s.detailType === detailType)!.document as Doc;

describe('schemas/ (committed)', () => {
  it('holds exactly the files the generator writes now: run `npm run schemas` after changing an event', () => {
    const committed = readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(committed).toEqual(generated.map((s) => s.fileName).sort());
    for (const schema of generated) {
      expect([schema.fileName, readFileSync(path.join(SCHEMAS_DIR, schema.fileName), 'utf8')]).toEqual([schema.fileName, schemaFileText(schema)]);
    }
  });

  it('covers every event in and out, each under its source', () => {
    expect(generated.map((s) => [s.direction, s.schemaName])).toEqual([
      ...Object.keys(HELPDESK_DETAILS).map((t) => ['in', `helpdesk@${t}`]),
      ...Object.keys(OWN_DETAILS).map((t) => ['own', `one-time-auth-links@${t}`]),
      ...Object.keys(PUBLISHED_DETAILS).map((t) => ['out', `one-time-auth-links@${t}`]),
    ]);
  });

  it('describes the whole event, its detail taken field for field from the zod schema', () => {
    const created = doc('TicketCreated');
    expect(created).toMatchObject({
      $schema: 'http://json-schema.org/draft-04/schema#',
      'x-amazon-events-source': 'one-time-auth-links',
      'x-amazon-events-detail-type': 'TicketCreated',
      properties: { 'detail-type': { enum: ['TicketCreated'] }, source: { enum: ['one-time-auth-links'] }, detail: { $ref: '#/definitions/TicketCreated' } },
    });
    expect(Object.keys(created.definitions.TicketCreated!.properties)).toEqual(Object.keys(PUBLISHED_DETAILS.TicketCreated.shape));
    expect(created.definitions.TicketCreated).toMatchObject({ additionalProperties: false, required: Object.keys(PUBLISHED_DETAILS.TicketCreated.shape) });
    // A helpdesk may name its event (detail.eventId); the zod schema checks the rest once that is taken off.
    const changed = doc('TicketStateChanged').definitions.TicketStateChanged!;
    expect(Object.keys(changed.properties)).toEqual([...Object.keys(HELPDESK_DETAILS.TicketStateChanged.shape), 'eventId']);
    expect(changed.required).toEqual(['ticketNumber', 'state']);
  });

  it('matches what is published (control: a field the schema does not know is refused)', () => {
    const reopened = { eventId: 'e-1', at: '2026-12-01T10:00:00.000Z', ticketNumber: '2026120110000001', customerLogin: 'a@acme-helpdesk.eu', reopenedBy: 'mail' };
    expect(publishedDetailProblems('TicketReopened', reopened)).toEqual([]);
    expect(publishedDetailProblems('TicketReopened', { ...reopened, reopenedBy: 'phone', extra: 1 })).toEqual([
      expect.stringMatching(/^reopenedBy: /),
      expect.stringMatching(/^\(detail\): Unrecognized key: "extra"/),
    ]);
    expect(publishedDetailProblems('TicketClosed', reopened)).toEqual(['detail-type: TicketClosed is not one this system publishes']);
  });
});

describe('schema registry (stateless stack)', () => {
  // Prepare: one synth with sources other than the defaults.
  const sources = { EventSource: 'acme.tickets', HelpdeskEventSource: 'znuny' };
  const { stateless, statelessStack } = synthTemplates({ ...SKIP_BUNDLING, 'ota:config': { ...TEST_CONFIG, ...sources } });
  const registryId = statelessStack.getLogicalId(statelessStack.schemaRegistry.registry);
  const configured = eventSchemas({ own: sources.EventSource, helpdesk: sources.HelpdeskEventSource });

  it('is one registry named after the bus', () => {
    expect(Object.values(stateless.findResources('AWS::EventSchemas::Registry')).map((r) => r.Properties.RegistryName)).toEqual(['Ota-events']);
    expect(stateless.findOutputs('SchemaRegistryName').SchemaRegistryName?.Value).toEqual({ 'Fn::GetAtt': [registryId, 'RegistryName'] });
  });

  it('holds every generated document as JSON Schema draft 4, under the configured sources', () => {
    const schemas = Object.values(stateless.findResources('AWS::EventSchemas::Schema')).map((s) => s.Properties);
    expect(schemas.map((s) => [s.SchemaName, s.Type, s.RegistryName, JSON.parse(s.Content as string)])).toEqual(
      configured.map((s) => [s.schemaName, 'JSONSchemaDraft4', { 'Fn::GetAtt': [registryId, 'RegistryName'] }, s.document]),
    );
    expect(schemas.map((s) => s.SchemaName)).toContain('znuny@AgentReplied');
    expect(doc('TicketCreated', configured)['x-amazon-events-source']).toBe('acme.tickets');
  });
});
