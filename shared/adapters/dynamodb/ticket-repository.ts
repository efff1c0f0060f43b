/**
 * TicketRepository on DynamoDB. A ticket's partition holds, in sort-key order, its articles
 * (ARTICLE#…), its access trail (AUDIT#…), the counted opens and refusals of its links (OPENS#…), the whole texts
 * of long articles (TEXT#…), the ticket (TICKET) and its tokens (TOKEN#…). A ticket page reads the
 * ticket, its newest article previews and its newest trail entries with requests sent together (one
 * round trip), never the whole partition; ops read it all (view). Listings read the byCustomer and
 * byType indexes (eventually consistent); one ticket is read strongly consistent.
 */
import { formatTicketNumber, utcDay } from '../../domain/mail-rules.js';
import type { Article, Ticket } from '../../domain/model.js';
import type { Page, PageRequest } from '../../ports/paging.js';
import type { DueTicket, TicketGuard, TicketListRequest, TicketPage, TicketPageRequest, TicketPatch, TicketRepository, TicketUpdate, TicketView } from '../../ports/tickets.js';
import type { AlsoWrite } from '../../ports/writes.js';
import { articleItem, read, ticketItem, wholeArticle } from './items.js';
import { CLOSED_SHARDS, INDEX_VALUES } from './indexes.js';
import { epochSeconds, keys, PREFIX } from './keys.js';
import { alsoWrites, type TrailSettings } from './also-writes.js';
import { INDEXES } from './table-definition.js';
import { InvalidCursorError } from '../../errors.js';
import { keyOf, type DynamoTable, type Item } from './table.js';
import { ticketUpdate } from './ticket-update.js';

export class DynamoTicketRepository implements TicketRepository {
  constructor(
    private readonly table: DynamoTable,
    private readonly trail: TrailSettings,
  ) {}

  async get(number: string) {
    return ticketItem.from(await this.table.get(keys.ticket(number)));
  }

  async view(number: string): Promise<TicketView | undefined> {
    const ticketKey = keys.ticket(number);
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :ticket',
      ExpressionAttributeValues: { ':pk': ticketKey.pk, ':first': PREFIX.article, ':ticket': ticketKey.sk },
      ConsistentRead: true,
    });
    const found = items.find((i) => i.sk === ticketKey.sk);
    if (!found) return undefined;
    const of = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix));
    const texts = new Map(of(PREFIX.text).map((i) => [String(i.sk).slice(PREFIX.text.length), i]));
    const trail = [...of(PREFIX.audit), ...of(PREFIX.opens)].map(read.trail).sort((a, b) => b.at.localeCompare(a.at));
    return {
      ticket: read.ticket(found),
      articles: of(PREFIX.article).map(read.article).map((a) => wholeArticle(a, texts.get(a.articleId))),
      trail,
    };
  }

  async page(number: string, request: TicketPageRequest): Promise<TicketPage | undefined> {
    const { pk } = keys.ticket(number);
    // Newest first, each with a limit: what a page costs does not grow with what the ticket holds.
    const newest = (prefix: string, limit: number, before?: string) =>
      this.table.query(
        {
          KeyConditionExpression: before ? 'pk = :pk AND sk BETWEEN :prefix AND :before' : 'pk = :pk AND begins_with(sk, :prefix)',
          // BETWEEN is inclusive; the article named by `before` is dropped below.
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix, ...(before ? { ':before': `${prefix}${before}` } : {}) },
          ScanIndexForward: false,
          ConsistentRead: true,
        },
        { limit },
      );
    const [ticket, articles, audit, counted] = await Promise.all([
      this.table.get(keys.ticket(number)),
      newest(PREFIX.article, request.articles + 2, request.before),
      newest(PREFIX.audit, request.trail),
      newest(PREFIX.opens, request.trail),
    ]);
    if (!ticket) return undefined;
    const listed = articles.items.map(read.article).filter((a) => a.articleId !== request.before);
    const shown = listed.slice(0, request.articles);
    return {
      ticket: read.ticket(ticket),
      articles: shown.reverse(),
      ...(listed.length > request.articles ? { olderBefore: shown[0]?.articleId } : {}),
      trail: audit.items.map(read.trail),
      counted: counted.items.map(read.trail),
    };
  }

  async article(number: string, articleId: string): Promise<{ ticket: Ticket; article: Article } | undefined> {
    const want = [keys.ticket(number), keys.article(number, articleId), keys.articleText(number, articleId)];
    const found = await this.table.batchGet(want);
    const [ticket, article, text] = want.map((k) => found.get(keyOf(k)));
    if (!ticket || !article) return undefined;
    return { ticket: read.ticket(ticket), article: wholeArticle(read.article(article), text) };
  }

  async list(request: TicketListRequest = {}): Promise<Page<Ticket>> {
    return this.listIndex(INDEXES.byType, INDEX_VALUES.ticketsType, undefined, request);
  }

  async listByCustomer(login: string, request: TicketListRequest = {}) {
    // Sessions share the customer's partition; the prefix keeps the listing to tickets.
    return this.listIndex(INDEXES.byCustomer, INDEX_VALUES.customerTickets(login), INDEX_VALUES.ticketPrefix, request);
  }

  async update(number: string, patch: TicketPatch, guard: TicketGuard): Promise<TicketUpdate> {
    const before = await this.table.update({ Key: keys.ticket(number), ...ticketUpdate(number, patch, guard), ReturnValues: 'ALL_OLD' });
    return before ? { updated: true, before: read.ticket(before) } : { updated: false };
  }

  async addArticle(article: Article, also: AlsoWrite = {}): Promise<void> {
    await this.table.batchWrite([...articleItem.to(article).map((put) => ({ put })), ...alsoWrites(also, this.trail)]);
  }

  async dueForSweep(cutoff: string, page: PageRequest = {}, onRead?: (items: number) => void): Promise<Page<DueTicket>> {
    // One cursor over the shards: which shard, and where in it. Shards are read oldest first, one after the other.
    const state = page.cursor ? decodeShardCursor(page.cursor) : { shard: 0 };
    const { closedTickets } = INDEXES;
    const items: DueTicket[] = [];
    let shard = state.shard;
    let cursor = state.cursor;
    while (shard < CLOSED_SHARDS && (page.limit === undefined || items.length < page.limit)) {
      const out = await this.table.query(
        {
          IndexName: closedTickets.name,
          KeyConditionExpression: '#pk = :shard AND #sk <= :cutoff',
          ExpressionAttributeNames: { '#pk': closedTickets.partitionKey, '#sk': closedTickets.sortKey },
          // The sort key is <closedAt>#<number>: everything at or before the cutoff instant, whatever the number.
          ExpressionAttributeValues: { ':shard': INDEX_VALUES.closedShard(shard), ':cutoff': `${cutoff}#~` },
        },
        { limit: page.limit === undefined ? undefined : page.limit - items.length, cursor },
        onRead,
      );
      items.push(...out.items.map(dueTicket));
      cursor = out.cursor;
      if (!cursor) shard++;
    }
    const more = shard < CLOSED_SHARDS;
    return { items, cursor: more ? Buffer.from(JSON.stringify({ shard, cursor }), 'utf8').toString('base64url') : undefined };
  }

  async nextNumber(now: Date): Promise<string> {
    const day = utcDay(now);
    const out = await this.table.update({
      Key: keys.ticketCounter(day.replaceAll('-', '')),
      // ADD is atomic: concurrent mails never share a number. The counter is useless after its day.
      UpdateExpression: 'ADD #n :one SET #ttl = :ttl',
      ExpressionAttributeNames: { '#n': 'n', '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':one': 1, ':ttl': epochSeconds(now) + 3 * 86_400 },
      ReturnValues: 'UPDATED_NEW',
    });
    return formatTicketNumber(now, Number(out?.n));
  }

  private async listIndex(index: { name: string; partitionKey: string; sortKey: string }, value: string, sortPrefix: string | undefined, request: TicketListRequest) {
    const names: Record<string, string> = { '#pk': index.partitionKey };
    const values: Record<string, unknown> = { ':value': value };
    let condition = '#pk = :value';
    if (sortPrefix) {
      names['#sk'] = index.sortKey;
      values[':prefix'] = sortPrefix;
      condition += ' AND begins_with(#sk, :prefix)';
    }
    let filter: string | undefined;
    if (request.state) {
      names['#state'] = 'state';
      values[':state'] = request.state;
      filter = '#state = :state';
    }
    const out = await this.table.query(
      {
        IndexName: index.name,
        KeyConditionExpression: condition,
        FilterExpression: filter,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        // Sort keys start with <createdAt>: descending is newest first.
        ScanIndexForward: false,
      },
      request,
    );
    return { items: out.items.map(read.ticket), cursor: out.cursor };
  }
}

function decodeShardCursor(cursor: string): { shard: number; cursor?: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { shard?: unknown; cursor?: unknown };
    if (Number.isInteger(value.shard) && (value.cursor === undefined || typeof value.cursor === 'string')) return value as { shard: number; cursor?: string };
  } catch {
    // fall through
  }
  throw new InvalidCursorError('Invalid page cursor');
}

function dueTicket(item: Item): DueTicket {
  const ticket = read.ticket(item);
  return { number: ticket.number, closedAt: ticket.closedAt ?? '' };
}
