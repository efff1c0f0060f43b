/**
 * The single table's key schema, shared by the CDK stack, the local stack and the tests so the
 * three can never drift apart. See docs/data-model.md for what each item and index answers.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Time-to-live attribute (epoch seconds); DynamoDB deletes items some time after it passes. */
export const TTL_ATTRIBUTE = 'ttl';

export const INDEXES = {
  /** A customer's tickets (newest first) and sessions: gsi1pk = CUSTOMER#<login>, gsi1sk = TICKET#<createdAt>#<number> | SESSION#… */
  byCustomer: { name: 'byCustomer', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Sparse: closed tickets whose tokens were not swept yet; gsi2pk = CLOSED#<shard>, gsi2sk = <closedAt>#<number>. */
  closedTickets: { name: 'closedTickets', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /** Listings for ops: gsi3pk = CUSTOMER | TICKET | DELIVERY, gsi3sk = login | <createdAt>#<number> | <receivedAt>#<key>. */
  byType: { name: 'byType', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
} as const;

/** CreateTable input for local peers (dynalite) and tests; CDK declares the same shape in infra/. */
export function createTableInput(tableName: string) {
  const index = (i: { name: string; partitionKey: string; sortKey: string }) => ({
    IndexName: i.name,
    KeySchema: [
      { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  const attributes = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...Object.values(INDEXES).flatMap((i) => [i.partitionKey, i.sortKey])];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' as const },
    ],
    AttributeDefinitions: attributes.map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    GlobalSecondaryIndexes: Object.values(INDEXES).map(index),
  };
}
