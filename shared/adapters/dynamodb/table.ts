/**
 * The one table, as the repositories use it: every request goes through here, so SDK failures are
 * classified once (RetryableError / PermanentError) and a failed condition is an answer, not an
 * exception. Batches retry what DynamoDB returns unprocessed; queries paginate with an opaque cursor.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type PutCommandInput,
  type QueryCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError, RetryableError } from '../../errors.js';
import { classifyAwsError, isConditionFailure } from '../aws-errors.js';
import type { Page, PageRequest } from '../../ports/paging.js';
import type { Key } from './keys.js';

export type Item = Record<string, unknown>;
export type WriteRequest = { put: Item } | { delete: Key };

/** Requests in a row that may come back with unprocessed items (throttling) before we give up. */
const MAX_BATCH_ROUNDS = 5;
const backoff = (round: number) => new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));

export const keyOf = (k: Key) => `${k.pk}|${k.sk}`;

export class DynamoTable {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  async get(key: Key): Promise<Item | undefined> {
    const out = await this.call('GetItem', () => this.db.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true })));
    return out.Item;
  }

  /** A conditional put: false when the condition failed. */
  async put(input: Omit<PutCommandInput, 'TableName'>): Promise<boolean> {
    try {
      await this.call('PutItem', () => this.db.send(new PutCommand({ ...input, TableName: this.name })), true);
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  /** A conditional update: the attributes asked for by ReturnValues, or undefined when the condition failed. */
  async update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<Item | undefined> {
    try {
      const out = await this.call('UpdateItem', () => this.db.send(new UpdateCommand({ ...input, TableName: this.name })), true);
      return out.Attributes ?? {};
    } catch (e) {
      if (isConditionFailure(e)) return undefined;
      throw e;
    }
  }

  /** Strongly consistent BatchGet of any number of keys; found items by keyOf(key). */
  async batchGet(keyList: Key[]): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    let pending: Item[] = [...new Map(keyList.map((k) => [keyOf(k), k])).values()];
    // Retries count only requests that came back with unprocessed keys (throttling), not chunks.
    for (let retries = 0; pending.length > 0; ) {
      const out = await this.call('BatchGetItem', () =>
        this.db.send(new BatchGetCommand({ RequestItems: { [this.name]: { Keys: pending.slice(0, 100), ConsistentRead: true } } })),
      );
      for (const item of out.Responses?.[this.name] ?? []) found.set(keyOf(item as Key), item);
      const unprocessed = out.UnprocessedKeys?.[this.name]?.Keys ?? [];
      pending = [...unprocessed, ...pending.slice(100)];
      if (unprocessed.length) {
        if (++retries >= MAX_BATCH_ROUNDS) throw new RetryableError('BatchGet kept returning unprocessed keys');
        await backoff(retries);
      }
    }
    return found;
  }

  /** Puts and deletes, 25 per request, until nothing is left unprocessed. Idempotent items only: no conditions. */
  async batchWrite(requests: WriteRequest[]): Promise<void> {
    // DynamoDB refuses a batch naming one key twice; the last write of a key is the one that counts.
    const byKey = new Map(requests.map((r) => [keyOf('put' in r ? (r.put as Key) : r.delete), r]));
    let pending = [...byKey.values()].map((r) => ('put' in r ? { PutRequest: { Item: r.put } } : { DeleteRequest: { Key: r.delete } }));
    for (let retries = 0; pending.length > 0; ) {
      const out = await this.call('BatchWriteItem', () => this.db.send(new BatchWriteCommand({ RequestItems: { [this.name]: pending.slice(0, 25) } })));
      const unprocessed = (out.UnprocessedItems?.[this.name] as typeof pending | undefined) ?? [];
      pending = [...unprocessed, ...pending.slice(25)];
      if (unprocessed.length) {
        if (++retries >= MAX_BATCH_ROUNDS) throw new RetryableError('BatchWrite kept returning unprocessed items');
        await backoff(retries);
      }
    }
  }

  /**
   * One page of a Query. A page asks DynamoDB for at most the items still missing, so a filter never
   * makes a page longer than asked; `onPage` sees every DynamoDB page (for counting reads).
   */
  async query(input: Omit<QueryCommandInput, 'TableName'>, page: PageRequest = {}, onPage?: (scanned: number) => void): Promise<Page<Item>> {
    if (page.limit !== undefined && !(Number.isInteger(page.limit) && page.limit >= 1)) throw new RangeError(`Page limit must be a positive integer, got ${page.limit}`);
    const items: Item[] = [];
    let startKey = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    do {
      const remaining = page.limit === undefined ? undefined : page.limit - items.length;
      const out = await this.call('Query', () => this.db.send(new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey: startKey, Limit: remaining })));
      onPage?.(out.ScannedCount ?? out.Items?.length ?? 0);
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey && (page.limit === undefined || items.length < page.limit));
    return { items, cursor: startKey ? encodeCursor(startKey) : undefined };
  }

  async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    return (await this.query(input)).items;
  }

  /** Runs one SDK call; a failed condition is passed through for the caller to answer, the rest is classified. */
  private async call<T>(what: string, send: () => Promise<T>, conditional = false): Promise<T> {
    try {
      return await send();
    } catch (e) {
      if (conditional && isConditionFailure(e)) throw e;
      throw classifyAwsError(e, `DynamoDB ${what}`);
    }
  }
}

function encodeCursor(key: Item): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Item {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Our keys and index keys are strings only; anything else did not come from encodeCursor.
    if (key && typeof key === 'object' && !Array.isArray(key) && Object.values(key).every((v) => typeof v === 'string')) return key as Item;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('Invalid page cursor');
}
