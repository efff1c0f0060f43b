/**
 * Least privilege, declared per adapter: what each adapter class in shared/adapters sends to AWS,
 * on which part of which resource. A function's role is the union over the adapters its deps
 * factory builds (infra/functions.ts), so a function gets exactly what its bundle can do.
 * test/infra/permissions.test.ts derives each adapter's access from its source, finds the adapters
 * in every function's bundle, and proves in both directions that the role is what the code sends:
 * nothing missing, nothing unused.
 *
 * Granularity is the adapter: a function whose bundle holds DynamoTicketRepository gets every
 * action that class uses, even the methods this function never calls.
 */
import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { INDEXES } from '../shared/adapters/dynamodb/table-definition.js';
import { FILE_PREFIXES } from '../shared/domain/files.js';
import { bucketArn, objectsArn } from './names.js';

/**
 * Item-level DynamoDB actions. There is no IAM action for TransactWriteItems/TransactGetItems:
 * each part of a transaction is authorised as its own PutItem/UpdateItem/DeleteItem/ConditionCheckItem.
 */
export type ItemAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:BatchWriteItem'
  | 'dynamodb:ConditionCheckItem';

export type IndexName = keyof typeof INDEXES;
/** What a Query reads: the base table (its own pk/sk) or a global secondary index. */
export type QueryTarget = 'table' | IndexName;
export type RawMailAction = 's3:GetObject' | 's3:ListBucket';
/** Objects of a ticket's files (shared/domain/files.ts): ours under `attachments/`, the helpdesk's under `helpdesk-files/`. */
export type FileAction = 's3:GetObject' | 's3:PutObject';
export type FilePrefix = keyof typeof FILE_PREFIXES;

export interface AdapterAccess {
  /** Item actions on the table (via DynamoTable: get → GetItem, put → PutItem, update → UpdateItem, batchGet/batchWrite). */
  readonly items?: readonly ItemAction[];
  /** dynamodb:Query on the base table and/or on named indexes (via DynamoTable.query / queryAll). */
  readonly queries?: readonly QueryTarget[];
  /** The raw-mail bucket: objects under RawMailPrefix; ListBucket on the bucket itself. */
  readonly rawMail?: readonly RawMailAction[];
  /** The raw-mail bucket's file objects, per prefix (a HeadObject is authorised as s3:GetObject). */
  readonly files?: { readonly [P in FilePrefix]?: readonly FileAction[] };
  /** ses:SendEmail as the support identity. */
  readonly sendMail?: true;
  /** events:PutEvents on the project's bus. */
  readonly publishEvents?: true;
  /** secretsmanager:GetSecretValue on the sign-in codes' key, and no other secret. */
  readonly readCodeKey?: true;
}

const GET: ItemAction = 'dynamodb:GetItem';
const PUT: ItemAction = 'dynamodb:PutItem';
const UPDATE: ItemAction = 'dynamodb:UpdateItem';
const BATCH_GET: ItemAction = 'dynamodb:BatchGetItem';
const BATCH_WRITE: ItemAction = 'dynamodb:BatchWriteItem';

/** Every adapter class that talks to AWS, and what it sends. Keep in step with shared/adapters (the test says where not). */
export const ADAPTER_ACCESS = {
  // get; view and page = consistent Queries of the ticket's partition; article (BatchGet of the article and
  // its text); list (byType), listByCustomer (byCustomer), dueForSweep (closedTickets); update and
  // nextNumber (UpdateItem); addArticle (BatchWrite with trail/outbox).
  DynamoTicketRepository: { items: [GET, UPDATE, BATCH_GET, BATCH_WRITE], queries: ['table', 'byType', 'byCustomer', 'closedTickets'] },
  // get; recordSent (BatchWrite with trail); setTtl (UpdateItem); listByTicket (Query of the ticket's partition); deleteAll (BatchWrite).
  DynamoTokenRepository: { items: [GET, UPDATE, BATCH_WRITE], queries: ['table'] },
  // get; list (byType); setDisabled and countFailedLogin (UpdateItem).
  DynamoCustomerRepository: { items: [GET, UPDATE], queries: ['byType'] },
  // get; record and claim with a lease (conditional PutItem); release and addCopy (UpdateItem); list (byType).
  DynamoDeliveryRepository: { items: [GET, PUT, UPDATE], queries: ['byType'] },
  // load (consistent BatchGet); writeRecords and settle (idempotent BatchWrites; docs/data-model.md steps 1, 6, 7).
  DynamoInboundStore: { items: [BATCH_GET, BATCH_WRITE] },
  // take: one atomic bucket per window (UpdateItem ADD under a condition).
  DynamoRateLimiter: { items: [UPDATE] },
  // pending events (Query of the outbox partition); remove (BatchWrite deletes).
  DynamoOutbox: { items: [BATCH_WRITE], queries: ['table'] },
  // start/end (BatchWrite with trail); touch (conditional UpdateItem); get; endAllOf (Query byCustomer, BatchWrite).
  DynamoSessionRepository: { items: [GET, UPDATE, BATCH_WRITE], queries: ['byCustomer'] },
  // record (BatchWrite); count (UpdateItem); list (Query of the ticket's partition).
  DynamoTrailRepository: { items: [UPDATE, BATCH_WRITE], queries: ['table'] },
  // claim (conditional PutItem, then GetItem of the holder); complete (BatchWrite); release (UpdateItem).
  DynamoEventLedger: { items: [GET, PUT, UPDATE, BATCH_WRITE] },
  // GetObject of prefix + messageId; ListBucket so that a missing key answers 404 NoSuchKey (→ RawMailMissing), not 403.
  S3RawMailStore: { rawMail: ['s3:GetObject', 's3:ListBucket'] },
  // The ops CLI's view of stored mail (delivery list/replay), run with the operator's credentials: ListObjectsV2 and GetObject.
  S3RawMailArchive: { rawMail: ['s3:GetObject', 's3:ListBucket'] },
  // PutObject of an attachment's bytes (inbound attachments, a portal reply's uploads).
  S3FileStore: { files: { attachments: ['s3:PutObject'] } },
  // Presigns GetObject: the URL carries the function's own right to read, for a couple of minutes.
  S3FileLinks: { files: { attachments: ['s3:GetObject'], helpdesk: ['s3:GetObject'] } },
  // HeadObject of a file the helpdesk put for an agent reply.
  S3HelpdeskFiles: { files: { helpdesk: ['s3:GetObject'] } },
  SesMailer: { sendMail: true },
  EventBridgePublisher: { publishEvents: true },
  // GetSecretValue through Powertools' SecretsProvider, cached for a quarter hour.
  SecretsManagerCodeKey: { readCodeKey: true },
} as const satisfies Record<string, AdapterAccess>;

export type AdapterName = keyof typeof ADAPTER_ACCESS;

/** The resources a function's adapters act on. */
export interface AccessResources {
  readonly table: ITable;
  readonly rawMail: { readonly bucketName: string; readonly prefix: string };
  readonly supportAddress: string;
  readonly busArn: string;
  readonly codeKeySecretArn: string;
}

/** The union of the adapters' access, as sorted lists (readable in the template and in test failures). */
export function accessOf(adapters: readonly AdapterName[]) {
  const all = adapters.map((a) => ADAPTER_ACCESS[a] as AdapterAccess);
  const union = <T extends string>(pick: (a: AdapterAccess) => readonly T[] | undefined) => [...new Set(all.flatMap((a) => pick(a) ?? []))].sort();
  const files: Partial<Record<FilePrefix, FileAction[]>> = {};
  for (const prefix of Object.keys(FILE_PREFIXES) as FilePrefix[]) {
    const actions = union((a) => a.files?.[prefix]);
    if (actions.length) files[prefix] = actions;
  }
  return {
    items: union((a) => a.items),
    queries: union((a) => a.queries),
    rawMail: union((a) => a.rawMail),
    files,
    sendMail: all.some((a) => a.sendMail),
    publishEvents: all.some((a) => a.publishEvents),
    readCodeKey: all.some((a) => a.readCodeKey),
  };
}

/** Exact actions on exact resources; index ARNs by name (from the shared table definition), never `index/*`. */
export function grantsFor(scope: Construct, adapters: readonly AdapterName[], resources: AccessResources): PolicyStatement[] {
  const access = accessOf(adapters);
  const { table } = resources;
  const statements: PolicyStatement[] = [];
  if (access.items.length) statements.push(new PolicyStatement({ actions: access.items, resources: [table.tableArn] }));
  if (access.queries.length) {
    const arns = access.queries.map((q) => (q === 'table' ? table.tableArn : `${table.tableArn}/index/${INDEXES[q].name}`));
    statements.push(new PolicyStatement({ actions: ['dynamodb:Query'], resources: arns }));
  }
  if (access.rawMail.includes('s3:GetObject')) statements.push(rawMailReadGrant(resources.rawMail.bucketName, resources.rawMail.prefix));
  if (access.rawMail.includes('s3:ListBucket')) {
    // No s3:prefix condition: S3's own ListBucket check behind a GetObject of a missing key carries
    // no prefix, so a condition would turn the 404 back into a 403.
    statements.push(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn(resources.rawMail.bucketName)] }));
  }
  for (const [prefix, actions] of Object.entries(access.files) as [FilePrefix, FileAction[]][]) {
    // Keys are made per ticket and article at run time: the prefix is as narrow as an ARN can be written in advance.
    statements.push(new PolicyStatement({ actions, resources: [objectsArn(resources.rawMail.bucketName, FILE_PREFIXES[prefix])] }));
  }
  if (access.sendMail) statements.push(sesSendGrant(scope, resources.supportAddress));
  if (access.publishEvents) statements.push(new PolicyStatement({ actions: ['events:PutEvents'], resources: [resources.busArn] }));
  if (access.readCodeKey) statements.push(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [resources.codeKeySecretArn] }));
  return statements;
}

/**
 * Read raw MIME that SES stored under the prefix. Object keys are SES message ids, unknown in
 * advance, so this is the one statement with a wildcard; acknowledged where it is used.
 */
export function rawMailReadGrant(bucketName: string, prefix: string): PolicyStatement {
  return new PolicyStatement({ actions: ['s3:GetObject'], resources: [objectsArn(bucketName, prefix)] });
}

/**
 * Send as the support address. SES authorises against the verified identity: the domain when the
 * domain is verified, the address when only the address is; both are named so either setup works.
 */
export function sesSendGrant(scope: Construct, address: string): PolicyStatement {
  return new PolicyStatement({ actions: ['ses:SendEmail'], resources: sesIdentityArns(scope, address) });
}

export function sesIdentityArns(scope: Construct, address: string): string[] {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const identity = (name: string) => Stack.of(scope).formatArn({ service: 'ses', resource: 'identity', resourceName: name });
  return [identity(domain), identity(address)];
}
