/**
 * Reads tickets: one ticket with its articles, its tokens, and listings newest first (all tickets
 * through the byType index, one customer's through byCustomer). Index reads are eventually
 * consistent; reads of one ticket's partition are strongly consistent.
 */
import { GetCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Article, Ticket, TicketState, TokenRecord } from '../../domain/model.js';
import { articleItem, ticketItem, tokenItem } from './items.js';
import { INDEX_VALUES, PREFIX, keys } from './keys.js';
import { queryAll, queryPage, type Page, type PageRequest } from './query.js';
import { INDEXES } from './table-definition.js';

export interface TicketListRequest extends PageRequest {
  /** Only tickets in this state (filtered on read: the listing indexes are not keyed by state). */
  state?: TicketState;
}

export interface TicketWithArticles {
  ticket: Ticket;
  /** Oldest first (article ids start with their creation time). */
  articles: Article[];
}

export class DynamoTicketRepository {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async get(number: string): Promise<Ticket | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.ticket(number), ConsistentRead: true }));
    return ticketItem.from(out.Item);
  }

  /** Every ticket, newest first. */
  async list(request: TicketListRequest = {}): Promise<Page<Ticket>> {
    return this.listIndex(INDEXES.byType, INDEX_VALUES.ticketsType, request);
  }

  /** One customer's tickets, newest first. */
  async listByCustomer(login: string, request: TicketListRequest = {}): Promise<Page<Ticket>> {
    return this.listIndex(INDEXES.byCustomer, INDEX_VALUES.customerTickets(login), request);
  }

  /**
   * One Query of the ticket's partition returns the ticket and its articles together, so both come
   * from the same moment. Sort keys order as ARTICLE#… < TICKET < TOKEN#…: the range stops before
   * the tokens, which the portal must never read along with the articles.
   */
  async getWithArticles(number: string): Promise<TicketWithArticles | undefined> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :ticket',
      ExpressionAttributeValues: { ':pk': keys.ticket(number).pk, ':first': PREFIX.article, ':ticket': keys.ticket(number).sk },
      ConsistentRead: true,
    });
    const ticketItemFound = items.find((i) => i.sk === keys.ticket(number).sk);
    if (!ticketItemFound) return undefined;
    const articles = items.filter((i) => String(i.sk).startsWith(PREFIX.article)).map((i) => articleItem.from(i) as Article);
    return { ticket: ticketItem.from(ticketItemFound) as Ticket, articles };
  }

  /**
   * Every token item of the ticket, oldest first, including used and expired ones (TTL deletes
   * them late): callers judge each with tokenState(). Records carry the hash; never show it whole.
   */
  async listTokens(number: string): Promise<TokenRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :token)',
      ExpressionAttributeValues: { ':pk': keys.ticket(number).pk, ':token': PREFIX.token },
      ConsistentRead: true,
    });
    return items.map((i) => tokenItem.from(i) as TokenRecord).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private async listIndex(index: { name: string; partitionKey: string }, value: string, request: TicketListRequest): Promise<Page<Ticket>> {
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: index.name,
      KeyConditionExpression: '#pk = :value',
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':value': value },
      // Sort keys are <createdAt>#<number>: descending is newest first.
      ScanIndexForward: false,
    };
    if (request.state) {
      input.FilterExpression = '#state = :state';
      input.ExpressionAttributeNames = { ...input.ExpressionAttributeNames, '#state': 'state' };
      input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ':state': request.state };
    }
    const out = await queryPage(this.db, input, request);
    return { items: out.items.map((i) => ticketItem.from(i) as Ticket), cursor: out.cursor };
  }
}
