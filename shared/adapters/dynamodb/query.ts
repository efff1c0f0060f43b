/**
 * Query with pagination. A page asks DynamoDB for at most the items still missing, so a filter
 * never makes a page longer than asked; the cursor is DynamoDB's LastEvaluatedKey, opaque to callers.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { OtaError } from '../../errors.js';

type Item = Record<string, unknown>;

export interface PageRequest {
  /** Most items to return; all of them when unset. */
  limit?: number;
  /** From the previous page's `cursor`. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Set when more items may follow. */
  cursor?: string;
}

/** A cursor that was not produced by us (tampered with, truncated, from another listing). */
export class InvalidCursorError extends OtaError {}

export async function queryPage(db: DynamoDBDocumentClient, input: QueryCommandInput, page: PageRequest = {}): Promise<Page<Item>> {
  if (page.limit !== undefined && !(Number.isInteger(page.limit) && page.limit >= 1)) throw new RangeError(`Page limit must be a positive integer, got ${page.limit}`);
  const items: Item[] = [];
  let startKey = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  do {
    const remaining = page.limit === undefined ? undefined : page.limit - items.length;
    const out = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey, Limit: remaining }));
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey && (page.limit === undefined || items.length < page.limit));
  return { items, cursor: startKey ? encodeCursor(startKey) : undefined };
}

export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  return (await queryPage(db, input)).items;
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
