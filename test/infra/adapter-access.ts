/**
 * What the code sends to AWS, read from the source rather than from infra/grants.ts, as
 * "action on resource" lines (`dynamodb:Query on index/byType`). Not a test file.
 *
 * - DynamoDB adapters call `this.table.<method>(…)`; which command each DynamoTable method sends is
 *   read from shared/adapters/dynamodb/table.ts. A Query targets the base table when its key
 *   condition names `pk`, and each index the class names (`INDEXES.byType`, `{ closedTickets } = INDEXES`,
 *   `byTypeQuery(`).
 * - Other adapters send `new XxxCommand(…)` of the S3, SES v2 and EventBridge clients, or presign one
 *   (getSignedUrl): the browser sends it later on the adapter's credentials. An S3 object command acts
 *   on the file prefixes the adapter names (FILE_PREFIXES.x), else on the raw mail's prefix.
 * - A GetObject that tells NoSuchKey apart needs s3:ListBucket: without it S3 answers 403 for a missing key.
 * - Powertools' SecretsProvider (`new SecretsProvider(`) sends GetSecretValue; ours reads only the code key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { INDEXES } from '../../shared/adapters/dynamodb/table-definition.js';
import { FILE_PREFIXES } from '../../shared/domain/files.js';
import { REPO_ROOT } from '../../infra/bundling.js';

const ADAPTERS_DIR = path.join(REPO_ROOT, 'shared/adapters');
const TABLE_FILE = path.join(ADAPTERS_DIR, 'dynamodb/table.ts');

/** lib-dynamodb document commands → IAM actions. */
const DOCUMENT_COMMAND_ACTIONS: Record<string, string> = {
  Get: 'dynamodb:GetItem',
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  BatchGet: 'dynamodb:BatchGetItem',
  BatchWrite: 'dynamodb:BatchWriteItem',
  Query: 'dynamodb:Query',
  Scan: 'dynamodb:Scan',
};

/** An S3 object command acts on the file prefixes its adapter names (FILE_PREFIXES.x), else on the raw mail's. */
const objects = (r: LabelContext, source: string) => {
  const prefixes = [...new Set([...source.matchAll(/FILE_PREFIXES\.(\w+)/g)].map((m) => m[1]!))];
  return prefixes.length ? prefixes.map((p) => `raw-mail/${FILE_PREFIXES[p as keyof typeof FILE_PREFIXES]}*`) : [`raw-mail/${r.rawMailPrefix}*`];
};

/** Client commands of the other services → IAM action and the resource label it acts on. */
const SDK_COMMAND_ACCESS: Record<string, { action: string; resources: (r: LabelContext, source: string) => string[] }> = {
  GetObject: { action: 's3:GetObject', resources: objects },
  HeadObject: { action: 's3:GetObject', resources: objects },
  PutObject: { action: 's3:PutObject', resources: objects },
  ListObjectsV2: { action: 's3:ListBucket', resources: () => ['raw-mail-bucket'] },
  SendEmail: { action: 'ses:SendEmail', resources: (r) => r.sesIdentities.map((i) => `ses-identity/${i}`) },
  PutEvents: { action: 'events:PutEvents', resources: () => ['bus'] },
};

export interface LabelContext {
  readonly rawMailPrefix: string;
  readonly sesIdentities: readonly string[];
}

export interface AdapterSource {
  readonly className: string;
  readonly file: string;
  readonly source: string;
}

/** Every class under shared/adapters that sends something to AWS (DynamoTable is the transport the repositories share). */
export function awsAdapters(): AdapterSource[] {
  const files = readdirSync(ADAPTERS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return files.flatMap((file) => {
    const source = readFileSync(path.join(ADAPTERS_DIR, file), 'utf8');
    const classes = [...source.matchAll(/export class (\w+)/g)].map((m) => m[1]!);
    // A presigned URL sends its command later, from the browser, on the adapter's credentials: it counts as sent.
    const talks = /this\.table\.\w+\(/.test(source) || /\.send\(\s*new \w+Command\(/.test(source) || /getSignedUrl\(/.test(source) || /new SecretsProvider\(/.test(source);
    if (!talks || path.join(ADAPTERS_DIR, file) === TABLE_FILE) return [];
    if (classes.length !== 1) throw new Error(`${file}: expected one adapter class per file, found ${classes.join(', ') || 'none'}`);
    return [{ className: classes[0]!, file, source }];
  });
}

/** DynamoTable method → the document commands it sends (directly or through another of its methods). */
export function tableMethodCommands(tableSource = readFileSync(TABLE_FILE, 'utf8')): Map<string, Set<string>> {
  const starts = [...tableSource.matchAll(/^ {2}(?:private )?(?:async )?(\w+)(?:<[^>]*>)?\(/gm)];
  const direct = new Map<string, { commands: Set<string>; calls: Set<string> }>();
  starts.forEach((m, i) => {
    const body = tableSource.slice(m.index, starts[i + 1]?.index ?? tableSource.length);
    direct.set(m[1]!, {
      commands: new Set([...body.matchAll(/new (\w+)Command\(/g)].map((c) => c[1]!)),
      calls: new Set([...body.matchAll(/this\.(\w+)\(/g)].map((c) => c[1]!).filter((c) => c !== m[1] && c !== 'call')),
    });
  });
  const resolve = (name: string, seen = new Set<string>()): Set<string> => {
    const method = direct.get(name);
    if (!method || seen.has(name)) return new Set();
    seen.add(name);
    return new Set([...method.commands, ...[...method.calls].flatMap((c) => [...resolve(c, seen)])]);
  };
  return new Map([...direct.keys()].map((name) => [name, resolve(name)]));
}

/** "action on resource" lines for one adapter class, from its source. */
export function accessFromSource(adapter: AdapterSource, labels: LabelContext, tableCommands = tableMethodCommands()): string[] {
  const lines = new Set<string>();
  for (const [, method] of adapter.source.matchAll(/this\.table\.(\w+)\(/g)) {
    const commands = tableCommands.get(method!);
    if (!commands || commands.size === 0) throw new Error(`${adapter.className}: DynamoTable.${method} sends no known command`);
    for (const command of commands) {
      const action = DOCUMENT_COMMAND_ACTIONS[command];
      if (!action) throw new Error(`${adapter.className}: no IAM action known for ${command}Command`);
      if (action !== 'dynamodb:Query') lines.add(`${action} on table`);
      else for (const target of queryTargets(adapter)) lines.add(`${action} on ${target}`);
    }
  }
  for (const [, command] of adapter.source.matchAll(/new (\w+)Command\(/g)) {
    const access = SDK_COMMAND_ACCESS[command!];
    if (!access) throw new Error(`${adapter.className}: no IAM action known for ${command}Command`);
    for (const resource of access.resources(labels, adapter.source)) lines.add(`${access.action} on ${resource}`);
  }
  if (/new GetObjectCommand\(/.test(adapter.source) && /'NoSuchKey'/.test(adapter.source)) lines.add('s3:ListBucket on raw-mail-bucket');
  if (/new SecretsProvider\(/.test(adapter.source)) lines.add('secretsmanager:GetSecretValue on code-key-secret');
  return [...lines].sort();
}

function queryTargets(adapter: AdapterSource): string[] {
  const { source } = adapter;
  const named = new Set<string>([
    ...[...source.matchAll(/INDEXES\.(\w+)/g)].map((m) => m[1]!),
    ...[...source.matchAll(/const \{ ([\w, ]+) \} = INDEXES/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim())),
    ...(/byTypeQuery\(/.test(source) ? ['byType'] : []),
  ]);
  const targets = [...named].map((name) => {
    if (!(name in INDEXES)) throw new Error(`${adapter.className}: unknown index ${name}`);
    return `index/${INDEXES[name as keyof typeof INDEXES].name}`;
  });
  if (/KeyConditionExpression:\s*'pk\s*=/.test(source)) targets.push('table');
  if (targets.length === 0) throw new Error(`${adapter.className}: queries, but neither the table key nor an index could be read from its source`);
  return targets.sort();
}
