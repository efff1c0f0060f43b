/**
 * Least privilege, both directions, per function: the role's statements are exactly what the
 * adapters in the function's deployed bundle send (read from their source), plus the platform's
 * own (its log group, X-Ray, its failure queue). Nothing needed is missing; nothing granted is unused.
 */
import { describe, it, expect } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IConstruct } from 'constructs';
import { INDEXES } from '../../shared/adapters/dynamodb/table-definition.js';
import { FILE_PREFIXES } from '../../shared/domain/files.js';
import { ADAPTER_ACCESS, accessOf, type AdapterName } from '../../infra/grants.js';
import { FUNCTIONS, type FunctionKey } from '../../infra/functions.js';
import { accessFromSource, awsAdapters, tableMethodCommands, type LabelContext } from './adapter-access.js';
import { idOf, synthTemplates, TEST_CONFIG } from './synth.js';

// Prepare: one synth with real bundling (the bundles are what is checked).
const { app, statefulStack, statelessStack: stack, stateless: template } = synthTemplates();
const LABELS: LabelContext = {
  rawMailPrefix: TEST_CONFIG.RawMailPrefix,
  sesIdentities: [TEST_CONFIG.SupportAddress, TEST_CONFIG.SupportAddress.split('@')[1]!],
};
const adapters = awsAdapters();
const tableCommands = tableMethodCommands();

/** The adapter classes whose (kept) names the function's staged bundle contains. */
function adaptersInBundle(key: FunctionKey): string[] {
  const code = template.toJSON().Resources[idOf(stack.functions[key].function)].Properties.Code as { S3Key: string };
  const dir = path.join(app.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
  expect(existsSync(path.join(dir, 'index.mjs'))).toBe(true);
  // The entry and its chunks: an adapter on a lazily imported path is still in what is deployed.
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mjs'));
  const bundle = files.map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
  // keepNames (infra/bundling.ts) keeps class names; without them this test could not see adapters.
  expect(bundle).toContain('"DynamoTable"');
  return adapters.filter((a) => bundle.includes(`"${a.className}"`)).map((a) => a.className);
}

/** A statement's resource as a readable label: which part of which of our resources it names. */
function label(resource: unknown, key: FunctionKey): string {
  if (resource === '*') return '*';
  const text = JSON.stringify(resource);
  const fn = stack.functions[key];
  const tableId = idOf(statefulStack.table);
  const index = /\/index\/(\w+)"/.exec(text);
  if (text.includes('Fn::GetStackOutput') && text.includes(tableId)) return index ? `index/${index[1]}` : 'table';
  if (text.includes('Fn::GetStackOutput') && text.includes(idOf(statefulStack.codeKey))) return 'code-key-secret';
  const s3 = /:s3:::[^"]*raw-mail-"(?:.*?)"(\/[^"]*)?"\]\]\}$/.exec(text);
  if (text.includes(':s3:::') && text.includes('-raw-mail-')) return s3?.[1] ? `raw-mail${s3[1]}` : 'raw-mail-bucket';
  const ses = /:identity\/([^"]+)"/.exec(text);
  if (ses) return `ses-identity/${ses[1]}`;
  const ref = (c: IConstruct | undefined) => (c ? JSON.stringify({ 'Fn::GetAtt': [idOf(c), 'Arn'] }) : undefined);
  if (text === ref(stack.bus)) return 'bus';
  if (text === ref(fn.logGroup)) return 'own-log-group';
  if (text === ref(stack.failureQueues[key])) return 'own-failure-queue';
  return `unknown ${text}`;
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** "action on label" for every statement of the function's own role. */
function granted(key: FunctionKey): string[] {
  const policy = stack.functions[key].role.node.findChild('DefaultPolicy');
  const statements = template.toJSON().Resources[idOf(policy)].Properties.PolicyDocument.Statement as Statement[];
  expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  return [...new Set(statements.flatMap((s) => [s.Action].flat().flatMap((a) => [s.Resource].flat().map((r) => `${a} on ${label(r, key)}`))))].sort();
}

/** What the platform needs beside the adapters: its own logs, X-Ray, and its failure queue when asynchronous. */
function platform(key: FunctionKey): string[] {
  const lines = ['logs:CreateLogStream on own-log-group', 'logs:PutLogEvents on own-log-group', 'xray:PutTelemetryRecords on *', 'xray:PutTraceSegments on *'];
  if (stack.failureQueues[key]) lines.push(...['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'].map((a) => `${a} on own-failure-queue`));
  return lines;
}

/** ADAPTER_ACCESS of one adapter as the same lines. */
function declared(name: AdapterName): string[] {
  const access = accessOf([name]);
  return [
    ...access.items.map((a) => `${a} on table`),
    ...access.queries.map((q) => `dynamodb:Query on ${q === 'table' ? 'table' : `index/${INDEXES[q].name}`}`),
    ...access.rawMail.map((a) => (a === 's3:GetObject' ? `${a} on raw-mail/${LABELS.rawMailPrefix}*` : `${a} on raw-mail-bucket`)),
    ...Object.entries(access.files).flatMap(([prefix, actions]) => actions.map((a) => `${a} on raw-mail/${FILE_PREFIXES[prefix as keyof typeof FILE_PREFIXES]}*`)),
    ...(access.sendMail ? LABELS.sesIdentities.map((i) => `ses:SendEmail on ses-identity/${i}`) : []),
    ...(access.publishEvents ? ['events:PutEvents on bus'] : []),
    ...(access.readCodeKey ? ['secretsmanager:GetSecretValue on code-key-secret'] : []),
  ].sort();
}

const difference = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));

describe('ADAPTER_ACCESS (infra/grants.ts)', () => {
  it('declares every AWS adapter in shared/adapters, and nothing else', () => {
    expect(Object.keys(ADAPTER_ACCESS).sort()).toEqual(adapters.map((a) => a.className).sort());
  });

  it.each(Object.keys(ADAPTER_ACCESS))('%s: matches what its source sends', (name) => {
    const adapter = adapters.find((a) => a.className === name)!;
    expect(declared(name as AdapterName)).toEqual(accessFromSource(adapter, LABELS, tableCommands));
  });

  it('reads DynamoTable: each method and the command it sends', () => {
    expect(Object.fromEntries([...tableCommands].filter(([, c]) => c.size > 0).map(([m, c]) => [m, [...c]]))).toEqual({
      get: ['Get'],
      put: ['Put'],
      update: ['Update'],
      batchGet: ['BatchGet'],
      batchWrite: ['BatchWrite'],
      query: ['Query'],
      queryAll: ['Query'],
    });
  });

  it('would catch a wrong declaration (control: a ConditionCheckItem nobody sends)', () => {
    const ledger = adapters.find((a) => a.className === 'DynamoEventLedger')!;
    const wrong = [...declared('DynamoEventLedger'), 'dynamodb:ConditionCheckItem on table'].sort();
    expect(difference(wrong, accessFromSource(ledger, LABELS, tableCommands))).toEqual(['dynamodb:ConditionCheckItem on table']);
  });
});

describe.each(Object.keys(FUNCTIONS) as FunctionKey[])('%s role', (key) => {
  const inBundle = adaptersInBundle(key);
  const needed = [...new Set([...inBundle.flatMap((name) => accessFromSource(adapters.find((a) => a.className === name)!, LABELS, tableCommands)), ...platform(key)])].sort();
  const has = granted(key);

  it('is built from exactly the adapters its bundle contains (infra/functions.ts)', () => {
    expect([...FUNCTIONS[key].adapters].sort()).toEqual(inBundle.sort());
  });

  it('allows everything the bundled adapters send (nothing missing)', () => {
    expect(difference(needed, has)).toEqual([]);
  });

  it('allows nothing they do not send (nothing unused)', () => {
    expect(difference(has, needed)).toEqual([]);
  });
});
