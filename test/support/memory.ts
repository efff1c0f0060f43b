/**
 * In-memory adapters of every port, over one shared world (like the one table). They check the
 * same guards as the DynamoDB adapter; test/integration/ports.contract.test.ts runs the same cases
 * against both, so the fakes cannot drift from the real conditions. `interfere` lets a unit test
 * change the world between two calls (a concurrent writer).
 */
import type { Article, ArticlePreview, Customer, Delivery, OutboundEvent, Session, Ticket, TokenRecord, TrailEntry } from '../../shared/domain/model.js';
import { ARTICLE_PREVIEW_CHARS, GONE_STATES } from '../../shared/domain/model.js';
import { repeatsName, type Repeats } from '../../shared/domain/trail.js';
import { formatTicketNumber, utcDay } from '../../shared/domain/mail-rules.js';
import { InvalidCursorError, RawMailMissingError } from '../../shared/errors.js';
import type { CustomerRepository } from '../../shared/ports/customers.js';
import type { ClaimResult, DeliveryRepository, InboundLookup, InboundRecords, InboundSnapshot, InboundStore, ThreadRef } from '../../shared/ports/deliveries.js';
import type { EventLedger, EventPublisher, LedgerClaim, Outbox, PublishResult } from '../../shared/ports/events.js';
import type { RateLimiter } from '../../shared/ports/limits.js';
import type { FileLinks, FileStore, HelpdeskFiles } from '../../shared/ports/files.js';
import type { Mailer, OutboundMail, RawMailStore } from '../../shared/ports/mail.js';
import { FILE_PREFIXES } from '../../shared/domain/files.js';
import type { Page, PageRequest } from '../../shared/ports/paging.js';
import type { SessionRepository, TouchResult } from '../../shared/ports/sessions.js';
import type { DueTicket, TicketGuard, TicketListRequest, TicketPage, TicketPageRequest, TicketPatch, TicketRepository, TicketUpdate, TicketView } from '../../shared/ports/tickets.js';
import type { TokenRepository } from '../../shared/ports/tokens.js';
import type { TrailRepository } from '../../shared/ports/trail.js';
import type { AlsoWrite } from '../../shared/ports/writes.js';
import type { RepositoryPorts } from '../../shared/deps.js';

const copy = <T>(v: T): T => structuredClone(v);

/** Everything the table would hold. */
export class MemoryWorld {
  readonly customers = new Map<string, Customer>();
  readonly tickets = new Map<string, Ticket & { sweepIndexed?: boolean }>();
  readonly articles = new Map<string, Article[]>();
  readonly tokens = new Map<string, TokenRecord & { ttlAt: string }>();
  readonly trail = new Map<string, TrailEntry[]>();
  /** Counted opens per ticket, by `<interval>#<link>` (the table's OPENS# sort key). */
  readonly opens = new Map<string, Map<string, TrailEntry>>();
  readonly sessions = new Map<string, Session>();
  readonly deliveries = new Map<string, Delivery>();
  readonly messageIds = new Map<string, ThreadRef>();
  readonly limits = new Map<string, Set<string>>();
  readonly outbox = new Map<string, OutboundEvent>();
  readonly ledger = new Map<string, { status: 'applying' | 'done'; leaseUntil?: string; outcome?: string }>();
  readonly counters = new Map<string, number>();
  /** Called before each conditional ticket write: a test may simulate a concurrent writer. */
  interfere: ((op: string) => void) | undefined;

  also(also: AlsoWrite = {}): void {
    for (const e of also.trail ?? []) {
      const list = this.trail.get(e.ticketNumber) ?? [];
      if (!list.some((x) => JSON.stringify(x) === JSON.stringify(e))) list.push(copy(e));
      this.trail.set(e.ticketNumber, list);
    }
    for (const e of also.events ?? []) this.outbox.set(e.eventId, copy(e));
    for (const e of also.published ?? []) this.outbox.delete(e.eventId);
  }
}

function page<T>(all: T[], request: PageRequest = {}): Page<T> {
  const start = request.cursor ? Number(request.cursor) : 0;
  if (!Number.isInteger(start) || start < 0) throw new InvalidCursorError('Invalid page cursor');
  const end = request.limit === undefined ? all.length : start + request.limit;
  return { items: all.slice(start, end), cursor: end < all.length ? String(end) : undefined };
}

export class MemoryCustomers implements CustomerRepository {
  constructor(private readonly w: MemoryWorld) {}
  async get(login: string) {
    const c = this.w.customers.get(login);
    return c && copy(c);
  }
  async list(request?: PageRequest) {
    return page([...this.w.customers.values()].sort((a, b) => a.login.localeCompare(b.login)).map(copy), request);
  }
  async setDisabled(login: string, disabled: boolean) {
    const c = this.w.customers.get(login);
    if (!c) return undefined;
    c.disabled = disabled;
    return copy(c);
  }
  async countFailedLogin(login: string) {
    const c = this.w.customers.get(login);
    if (c) c.failedLogins++;
  }
}

/** The guard of ports/tickets.ts, as the DynamoDB adapter's conditions read it. */
function guardHolds(t: Ticket, g: TicketGuard): boolean {
  if (g.customerLogin !== undefined && t.customerLogin !== g.customerLogin) return false;
  if (g.state !== undefined && t.state !== g.state) return false;
  if (g.activeTokenHash === null && t.activeToken) return false;
  if (typeof g.activeTokenHash === 'string' && t.activeToken?.hash !== g.activeTokenHash) return false;
  if (g.activeTokenValidAt !== undefined && !(t.activeToken && t.activeToken.expiresAt > g.activeTokenValidAt)) return false;
  if (g.activeCodeHash === null && t.activeCode) return false;
  if (typeof g.activeCodeHash === 'string' && t.activeCode?.hash !== g.activeCodeHash) return false;
  if (g.activeCodeValidAt !== undefined && !(t.activeCode && t.activeCode.expiresAt > g.activeCodeValidAt)) return false;
  if (g.notGone && GONE_STATES.includes(t.state)) return false;
  if (g.openOrClosedAfter !== undefined && t.closedAt !== undefined && !(t.closedAt > g.openOrClosedAfter)) return false;
  if (g.customerEnabled && t.customerDisabled !== undefined) return false;
  if (g.refreshedNotAfter !== undefined && t.refreshedAt !== undefined && !(t.refreshedAt <= g.refreshedNotAfter)) return false;
  if (g.closedAt !== undefined && t.closedAt !== g.closedAt) return false;
  return true;
}

function applyPatch(t: Ticket & { sweepIndexed?: boolean }, p: TicketPatch): void {
  t.updatedAt = p.updatedAt;
  if (p.change) {
    t.state = p.change.state;
    if (p.change.closedAt) {
      t.closedAt = p.change.closedAt;
      t.sweepIndexed = true;
    } else {
      delete t.closedAt;
      delete t.sweepIndexed;
    }
    if (p.change.mergedInto) t.mergedInto = p.change.mergedInto;
    else delete t.mergedInto;
    if (p.change.activeTokenExpiresAt && t.activeToken) t.activeToken.expiresAt = p.change.activeTokenExpiresAt;
  }
  if (p.activeToken) t.activeToken = copy(p.activeToken);
  if (p.activeToken === null) delete t.activeToken;
  if (p.spend) {
    delete t.activeToken;
    t.lastSpentAt = p.spend.at;
    t.lastSpentHash = p.spend.hash;
    t.spentTokens = [...new Set([...(t.spentTokens ?? []), p.spend.hash])].sort();
    if (p.spend.nonce) t.lastSpentNonce = p.spend.nonce;
    else delete t.lastSpentNonce;
  }
  if (p.activeCode) t.activeCode = copy(p.activeCode);
  if (p.activeCode === null || p.spendCode) delete t.activeCode;
  if (p.refreshedAt) t.refreshedAt = p.refreshedAt;
  if (p.lastMessageId) {
    t.lastMessageId = p.lastMessageId;
    t.firstMessageId ??= p.lastMessageId;
  }
  if (p.customerDisabled === true) t.customerDisabled = true;
  if (p.customerDisabled === false) delete t.customerDisabled;
  if (p.leaveSweepIndex) delete t.sweepIndexed;
  if (p.pendingReopenEvent) t.pendingReopenEvent = p.pendingReopenEvent;
  if (p.pendingReopenEvent === null) delete t.pendingReopenEvent;
}

export class MemoryTickets implements TicketRepository {
  constructor(private readonly w: MemoryWorld) {}
  async get(number: string) {
    const t = this.w.tickets.get(number);
    return t && strip(t);
  }
  async view(number: string): Promise<TicketView | undefined> {
    const t = this.w.tickets.get(number);
    if (!t) return undefined;
    const articles = [...(this.w.articles.get(number) ?? [])].sort(byArticleId);
    const trail = [...(this.w.trail.get(number) ?? []), ...(this.w.opens.get(number)?.values() ?? [])].sort((a, b) => b.at.localeCompare(a.at));
    return { ticket: strip(t), articles: articles.map(copy), trail: trail.map(asStored) };
  }
  async page(number: string, request: TicketPageRequest): Promise<TicketPage | undefined> {
    const t = this.w.tickets.get(number);
    if (!t) return undefined;
    const all = [...(this.w.articles.get(number) ?? [])].sort(byArticleId).filter((a) => request.before === undefined || a.articleId < request.before);
    const shown = all.slice(-request.articles);
    const decisions = [...(this.w.trail.get(number) ?? [])].sort((a, b) => b.at.localeCompare(a.at)).slice(0, request.trail);
    const opens = [...(this.w.opens.get(number) ?? [])].sort(([a], [b]) => (a < b ? 1 : -1)).slice(0, request.trail);
    return {
      ticket: strip(t),
      articles: shown.map(preview),
      ...(all.length > request.articles ? { olderBefore: shown[0]?.articleId } : {}),
      trail: decisions.map(asStored),
      counted: opens.map(([, e]) => copy(e)),
    };
  }
  async article(number: string, articleId: string) {
    const t = this.w.tickets.get(number);
    const a = this.w.articles.get(number)?.find((x) => x.articleId === articleId);
    return t && a ? { ticket: strip(t), article: copy(a) } : undefined;
  }
  async list(request: TicketListRequest = {}) {
    return page(this.sorted([...this.w.tickets.values()], request.state), request);
  }
  async listByCustomer(login: string, request: TicketListRequest = {}) {
    return page(this.sorted([...this.w.tickets.values()].filter((t) => t.customerLogin === login), request.state), request);
  }
  async update(number: string, patch: TicketPatch, guard: TicketGuard): Promise<TicketUpdate> {
    this.w.interfere?.('ticket.update');
    const t = this.w.tickets.get(number);
    if (!t || !guardHolds(t, guard)) return { updated: false };
    const before = strip(t);
    applyPatch(t, patch);
    return { updated: true, before };
  }
  async addArticle(article: Article, also?: AlsoWrite) {
    upsertArticle(this.w, article);
    this.w.also(also);
  }
  async dueForSweep(cutoff: string, request?: PageRequest): Promise<Page<DueTicket>> {
    const due = [...this.w.tickets.values()]
      .filter((t) => t.sweepIndexed && t.closedAt !== undefined && t.closedAt <= cutoff)
      .sort((a, b) => (a.closedAt ?? '').localeCompare(b.closedAt ?? ''))
      .map((t) => ({ number: t.number, closedAt: t.closedAt ?? '' }));
    return page(due, request);
  }
  async nextNumber(now: Date) {
    const day = utcDay(now);
    const n = (this.w.counters.get(day) ?? 0) + 1;
    this.w.counters.set(day, n);
    return formatTicketNumber(now, n);
  }
  private sorted(tickets: Ticket[], state?: string) {
    return tickets
      .filter((t) => !state || t.state === state)
      .sort((a, b) => `${b.createdAt}#${b.number}`.localeCompare(`${a.createdAt}#${a.number}`))
      .map(strip);
  }
}

/** Sort keys compare as bytes, not by locale. */
const byArticleId = (a: Article, b: Article) => (a.articleId < b.articleId ? -1 : a.articleId > b.articleId ? 1 : 0);

/** As the table stores it: the first ARTICLE_PREVIEW_CHARS characters on the article, the whole text apart. */
function preview(a: Article): ArticlePreview {
  const chars = [...a.text];
  return chars.length <= ARTICLE_PREVIEW_CHARS ? copy(a) : { ...copy(a), text: chars.slice(0, ARTICLE_PREVIEW_CHARS).join(''), textCut: true };
}

function strip(t: Ticket & { sweepIndexed?: boolean }): Ticket {
  const { sweepIndexed: _indexed, ...ticket } = copy(t);
  return ticket;
}

function upsertArticle(w: MemoryWorld, article: Article) {
  const list = w.articles.get(article.ticketNumber) ?? [];
  const i = list.findIndex((a) => a.articleId === article.articleId);
  if (i >= 0) list[i] = copy(article);
  else list.push(copy(article));
  w.articles.set(article.ticketNumber, list);
}

export class MemoryTokens implements TokenRepository {
  constructor(private readonly w: MemoryWorld) {}
  async get(ticketNumber: string, hash: string) {
    const t = this.w.tokens.get(`${ticketNumber}|${hash}`);
    return t && record(t);
  }
  async listByTicket(ticketNumber: string) {
    return [...this.w.tokens.values()].filter((t) => t.ticketNumber === ticketNumber).map(record).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
  async recordSent(token: TokenRecord, also?: AlsoWrite, removeAt?: string) {
    this.w.tokens.set(`${token.ticketNumber}|${token.hash}`, { ...copy(token), ttlAt: removeAt && removeAt < token.expiresAt ? removeAt : token.expiresAt });
    this.w.also(also);
  }
  async setTtl(ticketNumber: string, hash: string, expiresAt: string) {
    const t = this.w.tokens.get(`${ticketNumber}|${hash}`);
    if (t) t.ttlAt = expiresAt;
  }
  async deleteAll(ticketNumber: string) {
    const keys = [...this.w.tokens.keys()].filter((k) => k.startsWith(`${ticketNumber}|`));
    keys.forEach((k) => this.w.tokens.delete(k));
    return { deleted: keys.length, read: keys.length };
  }
}

function record(t: TokenRecord & { ttlAt: string }): TokenRecord {
  const { ttlAt: _ttl, ...token } = copy(t);
  return token;
}

export class MemoryDeliveries implements DeliveryRepository {
  constructor(private readonly w: MemoryWorld) {}
  async get(key: string) {
    const d = this.w.deliveries.get(key);
    return d && copy(d);
  }
  async record(d: Delivery) {
    if (this.w.deliveries.has(d.key)) return false;
    this.w.deliveries.set(d.key, copy(d));
    return true;
  }
  async claim(d: Delivery, _ttl: number, expected?: Pick<Delivery, 'status' | 'leaseUntil'>): Promise<ClaimResult> {
    const existing = this.w.deliveries.get(d.key);
    const ok = expected ? existing?.status === expected.status && existing.leaseUntil === expected.leaseUntil : !existing;
    if (!ok) return { claimed: false, existing: copy(existing ?? { ...d, status: 'processing' }) };
    this.w.deliveries.set(d.key, copy(d));
    return { claimed: true };
  }
  async release(key: string, leaseUntil: string) {
    const d = this.w.deliveries.get(key);
    if (d?.leaseUntil === leaseUntil) delete d.leaseUntil;
  }
  async addCopy(key: string, deliveryId: string) {
    const d = this.w.deliveries.get(key);
    if (d) d.copies = [...new Set([...(d.copies ?? []), deliveryId])].sort();
  }
  async list(request?: PageRequest) {
    return page([...this.w.deliveries.values()].sort((a, b) => `${b.receivedAt}#${b.key}`.localeCompare(`${a.receivedAt}#${a.key}`)).map(copy), request);
  }
}

export class MemoryInbound implements InboundStore {
  constructor(private readonly w: MemoryWorld) {}
  async load(q: InboundLookup): Promise<InboundSnapshot> {
    const ticket = q.subjectTicketNumber ? this.w.tickets.get(q.subjectTicketNumber) : undefined;
    return {
      delivery: copy(this.w.deliveries.get(q.deliveryKey)),
      customer: copy(this.w.customers.get(q.customerLogin)),
      subjectTicket: ticket && strip(ticket),
      threadRefs: q.referencedMessageIds.flatMap((id) => messageIdKeys(id).flatMap((k) => this.w.messageIds.get(k) ?? [])).map(copy),
      knownMessage: q.inboundMessageId ? copy(this.w.messageIds.get(q.inboundMessageId)) : undefined,
    };
  }
  async writeRecords(r: InboundRecords, _ttl: number, also?: AlsoWrite) {
    if (r.newCustomer) this.w.customers.set(r.newCustomer.login, copy(r.newCustomer));
    if (r.newTicket) this.w.tickets.set(r.newTicket.number, copy(r.newTicket));
    upsertArticle(this.w, r.article);
    if (r.indexMessageId) this.w.messageIds.set(r.indexMessageId, { messageId: r.indexMessageId, ticketNumber: r.article.ticketNumber, customerLogin: r.newTicket?.customerLogin ?? r.delivery.customerLogin ?? '' });
    this.w.deliveries.set(r.delivery.key, copy(r.delivery));
    this.w.also(also);
  }
  async settle(d: Delivery, token: TokenRecord | undefined, _ttl: number, also?: AlsoWrite) {
    this.w.deliveries.set(d.key, copy(d));
    if (token) {
      this.w.tokens.set(`${token.ticketNumber}|${token.hash}`, { ...copy(token), ttlAt: token.expiresAt });
      if (d.providerMessageId) this.w.messageIds.set(`ses:${d.providerMessageId.toLowerCase()}`, { messageId: `ses:${d.providerMessageId.toLowerCase()}`, ticketNumber: token.ticketNumber, customerLogin: token.customerLogin });
    }
    this.w.also(also);
  }
}

function messageIdKeys(id: string): string[] {
  const ses = /^([^@]+)@[\w.-]*amazonses\.com$/.exec(id);
  return ses?.[1] ? [id, `ses:${ses[1].toLowerCase()}`] : [id];
}

export class MemorySessions implements SessionRepository {
  constructor(private readonly w: MemoryWorld) {}
  async start(s: Session, also?: AlsoWrite) {
    this.w.sessions.set(s.idHash, copy(s));
    this.w.also(also);
  }
  async touch(idHash: string, now: string, idleCutoff: string): Promise<TouchResult> {
    const s = this.w.sessions.get(idHash);
    if (!s) return { found: false };
    if (!(s.lastSeenAt > idleCutoff && s.absoluteExpiresAt > now)) return { found: false, expired: copy(s) };
    s.lastSeenAt = now;
    return { found: true, session: copy(s) };
  }
  async end(idHash: string, also?: AlsoWrite) {
    this.w.sessions.delete(idHash);
    this.w.also(also);
  }
  async endAllOf(login: string) {
    const mine = [...this.w.sessions.values()].filter((s) => s.customerLogin === login);
    mine.forEach((s) => this.w.sessions.delete(s.idHash));
    return mine.length;
  }
}

/** As the table keeps an entry: its requestId only told it apart from an identical one (DynamoTrailRepository). */
const asStored = ({ requestId: _id, ...e }: TrailEntry): TrailEntry => copy(e);

export class MemoryTrail implements TrailRepository {
  constructor(private readonly w: MemoryWorld) {}
  async record(entries: TrailEntry[]) {
    this.w.also({ trail: entries });
  }
  async count(o: Repeats) {
    const counted = this.w.opens.get(o.ticketNumber) ?? new Map<string, TrailEntry>();
    const key = `${o.interval}#${repeatsName(o)}`;
    const e = counted.get(key);
    if (e) counted.set(key, { ...e, count: (e.count ?? 0) + o.count, lastAt: o.at, ...(o.client ? { client: e.client ?? o.client, lastClient: o.client } : {}) });
    else {
      // What the table's item holds, read back: the repeats without what named the item.
      const { link: _link, interval: _interval, ...first } = o;
      counted.set(key, { ...first, lastAt: o.at, ...(o.client ? { lastClient: o.client } : {}) } as TrailEntry);
    }
    this.w.opens.set(o.ticketNumber, counted);
  }
  async list(ticketNumber: string) {
    return [...(this.w.trail.get(ticketNumber) ?? []), ...(this.w.opens.get(ticketNumber)?.values() ?? [])].sort((a, b) => b.at.localeCompare(a.at)).map(asStored);
  }
}

export class MemoryOutbox implements Outbox {
  constructor(private readonly w: MemoryWorld) {}
  async pending(olderThan: string, limit: number): Promise<OutboundEvent[]> {
    return [...this.w.outbox.values()].filter((e) => `${e.at}#${e.eventId}` < olderThan).sort((a, b) => a.at.localeCompare(b.at)).slice(0, limit).map(copy);
  }
  async remove(events: Pick<OutboundEvent, 'eventId'>[]) {
    events.forEach((e) => this.w.outbox.delete(e.eventId));
  }
}

export class MemoryLedger implements EventLedger {
  constructor(private readonly w: MemoryWorld) {}
  async claim(eventId: string, now: string, leaseUntil: string, _ttlDays: number): Promise<LedgerClaim> {
    const e = this.w.ledger.get(eventId);
    if (e && !(e.status === 'applying' && (e.leaseUntil ?? '') < now)) return { claimed: false, done: e.status === 'done' };
    this.w.ledger.set(eventId, { status: 'applying', leaseUntil });
    return { claimed: true };
  }
  async complete(eventId: string, outcome: string, _now: string, _ttlDays: number) {
    this.w.ledger.set(eventId, { status: 'done', outcome });
  }
  async release(eventId: string, leaseUntil: string) {
    const e = this.w.ledger.get(eventId);
    if (e?.leaseUntil === leaseUntil) delete e.leaseUntil;
  }
}

export class MemoryLimiter implements RateLimiter {
  constructor(private readonly w: MemoryWorld) {}
  async take(bucket: string, member: string, limit: number, _expiresAt: string) {
    if (limit <= 0) return false;
    const members = this.w.limits.get(bucket) ?? new Set<string>();
    if (!members.has(member) && members.size >= limit) return false;
    members.add(member);
    this.w.limits.set(bucket, members);
    return true;
  }
}

/** Every repository port over one world, shaped like shared/deps.ts `repositories()`. */
export function memoryRepositories(w = new MemoryWorld()): RepositoryPorts & { world: MemoryWorld } {
  return {
    world: w,
    customers: new MemoryCustomers(w),
    tickets: new MemoryTickets(w),
    tokens: new MemoryTokens(w),
    deliveries: new MemoryDeliveries(w),
    inbound: new MemoryInbound(w),
    sessions: new MemorySessions(w),
    trail: new MemoryTrail(w),
    outbox: new MemoryOutbox(w),
    ledger: new MemoryLedger(w),
    limits: new MemoryLimiter(w),
  };
}

export class MemoryRawMail implements RawMailStore {
  readonly objects = new Map<string, Uint8Array>();
  async open(key: string): Promise<AsyncIterable<Uint8Array>> {
    const body = this.objects.get(key);
    if (!body) throw new RawMailMissingError(`no ${key}`);
    return (async function* () {
      yield body;
    })();
  }
}

export class MemoryMailer implements Mailer {
  readonly sent: OutboundMail[] = [];
  failures = 0;
  async send(mail: OutboundMail): Promise<{ messageId: string }> {
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error('SES unavailable'), { name: 'ServiceUnavailable' });
    }
    this.sent.push(copy(mail));
    return { messageId: `ses-${this.sent.length}` };
  }
}

export class MemoryPublisher implements EventPublisher {
  readonly published: OutboundEvent[] = [];
  failing = false;
  async publish(events: OutboundEvent[]): Promise<PublishResult> {
    if (this.failing) return { published: [], failed: events, error: 'bus unavailable' };
    this.published.push(...events.map(copy));
    return { published: events, failed: [] };
  }
}

/** The raw-mail bucket's file objects: what FileStore writes, FileLinks hands out and HelpdeskFiles describes. */
export class MemoryFiles {
  readonly objects = new Map<string, { bytes: Uint8Array; contentType: string }>();
  readonly store: FileStore = {
    put: async (key, body, meta) => {
      if (!key.startsWith(FILE_PREFIXES.attachments)) throw new Error(`Not a key of ours: ${key}`);
      const chunks: Uint8Array[] = [];
      if (body instanceof Uint8Array) chunks.push(body);
      else for await (const chunk of body) chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      if (bytes.byteLength !== meta.size) throw new Error(`${key}: ${bytes.byteLength} bytes, said ${meta.size}`);
      this.objects.set(key, { bytes, contentType: meta.contentType });
    },
  };
  /** A data: URL of the bytes (a fetch yields them), with the name and type as the S3 URL's overrides would say them. */
  readonly links: FileLinks = {
    downloadUrl: async (key, file, expiresInSeconds) => {
      const object = this.objects.get(key);
      const bytes = object ? Buffer.from(object.bytes).toString('base64') : '';
      return `data:${file.contentType};name=${encodeURIComponent(file.filename)};expires=${expiresInSeconds};base64,${bytes}`;
    },
  };
  readonly helpdesk: HelpdeskFiles = {
    describe: async (key) => {
      const object = key.startsWith(FILE_PREFIXES.helpdesk) ? this.objects.get(key) : undefined;
      return object && { size: object.bytes.byteLength, contentType: object.contentType };
    },
  };
}
