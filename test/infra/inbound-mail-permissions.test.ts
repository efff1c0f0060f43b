/**
 * Drift guard between the code and its IAM policy: every AWS SDK command the inbound-mail bundle
 * can send must be allowed to its role. The bundle's own inputs (esbuild metafile) say which
 * project files it contains; those are scanned for `new XxxCommand(`.
 */
import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../../infra/ota-function.js';
import { SKIP_BUNDLING, synthTemplates } from './synth.js';

/** SDK command (client or lib-dynamodb document client) → the IAM action it needs. */
const ACTION_OF_COMMAND: Record<string, string> = {
  Get: 'dynamodb:GetItem',
  GetItem: 'dynamodb:GetItem',
  Put: 'dynamodb:PutItem',
  PutItem: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  UpdateItem: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  DeleteItem: 'dynamodb:DeleteItem',
  BatchGet: 'dynamodb:BatchGetItem',
  BatchGetItem: 'dynamodb:BatchGetItem',
  BatchWrite: 'dynamodb:BatchWriteItem',
  BatchWriteItem: 'dynamodb:BatchWriteItem',
  Query: 'dynamodb:Query',
  Scan: 'dynamodb:Scan',
  TransactGet: 'dynamodb:GetItem',
  TransactGetItems: 'dynamodb:GetItem',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  SendRawEmail: 'ses:SendRawEmail',
  PutEvents: 'events:PutEvents',
  ListObjectsV2: 's3:ListBucket',
  SendEmail: 'ses:SendEmail',
};
/** A transaction is authorised per part: `{ Put: … }`, `{ ConditionCheck: … }` … */
const ACTION_OF_TRANSACT_PART: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

async function projectFilesOf(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [path.join(REPO_ROOT, entry)],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules'));
}

function neededActions(files: string[]): { actions: Set<string>; unknown: string[] } {
  const actions = new Set<string>();
  const unknown: string[] = [];
  for (const file of files) {
    const source = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    for (const [, command] of source.matchAll(/new\s+([A-Z]\w*?)Command\s*\(/g)) {
      if (command!.startsWith('TransactWrite')) {
        for (const [, part] of source.matchAll(/\b(Put|Update|Delete|ConditionCheck)\s*:\s*\{/g)) actions.add(ACTION_OF_TRANSACT_PART[part!]!);
      } else if (ACTION_OF_COMMAND[command!]) actions.add(ACTION_OF_COMMAND[command!]!);
      else unknown.push(`${command}Command in ${file}`);
    }
  }
  return { actions, unknown };
}

describe('inbound-mail permissions', () => {
  it('allow every SDK command the bundled code can send', async () => {
    // Prepare
    const { stateless } = synthTemplates(SKIP_BUNDLING);
    const granted = new Set(
      Object.values(stateless.findResources('AWS::IAM::Policy'))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
        .flatMap((s) => [s.Action].flat()),
    );

    // Act
    const { actions, unknown } = neededActions(await projectFilesOf('functions/inbound-mail/index.ts'));

    // Assert: a new command needs a line in ACTION_OF_COMMAND and, if inbound uses it, a grant.
    expect(unknown).toEqual([]);
    expect([...actions].filter((a) => !granted.has(a)).sort()).toEqual([]);
  });
});
