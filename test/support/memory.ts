/**
 * In-memory adapters for unit tests of the use cases. They keep the same conditions as the
 * DynamoDB adapter (docs/data-model.md), so a use case cannot pass here and fail there by
 * relying on a missing check. `interfere` lets a test change the world between two calls.
 */
import type { Customer, Delivery, Ticket, TokenRecord } from '../../shared/domain/model.js';
import { formatTicketNumber } from '../../shared/domain/mail-rules.js';
import { RawMailMissingError } from '../../shared/errors.js';
import type {
  ClaimResult,
  FollowUpUpdate,
  InboundLookup,
  InboundRecords,
  InboundSnapshot,
  InboundStore,
  Mailer,
  OutboundMail,
  RawMailStore,
  ThreadRef,
  UpdateResult,
} from '../../shared/ports.js';

export class MemoryRawMail implements RawMailStore {
  readonly objects = new Map<string, Uint8Array>();
  async get(key: string): Promise<Uint8Array> {
    const body = this.objects.get(key);
    if (!body) throw new RawMailMissingError(`no ${key}`);
    return body;
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
    this.sent.push(mail);
    return { messageId: `ses-${this.sent.length}` };
  }
}

export class MemoryInboundStore implements InboundStore {
  readonly deliveries = new Map<string, Delivery>();
  readonly customers = new Map<string, Customer>();
  readonly tickets = new Map<string, Ticket>();
  readonly articles: InboundRecords['article'][] = [];
  readonly tokens = new Map<string, TokenRecord>();
  readonly messageIds = new Map<string, ThreadRef>();
  readonly autoReplies = new Map<string, number>();
  counter = 0;
  /** Called before each conditional ticket write: lets a test simulate a concurrent writer. */
  interfere: ((op: string) => void) | undefined;

  async load(q: InboundLookup): Promise<InboundSnapshot> {
    return {
      delivery: this.copy(this.deliveries.get(q.deliveryId)),
      customer: this.copy(this.customers.get(q.customerLogin)),
      subjectTicket: q.subjectTicketNumber ? this.copy(this.tickets.get(q.subjectTicketNumber)) : undefined,
      threadRefs: q.referencedMessageIds.flatMap((id) => this.messageIds.get(id) ?? []),
      knownMessage: q.inboundMessageId ? this.messageIds.get(q.inboundMessageId) : undefined,
      autoRepliesToday: this.autoReplies.get(`${q.sender}#${q.autoReplyDay}`) ?? 0,
    };
  }
  async nextTicketNumber(now: Date): Promise<string> {
    return formatTicketNumber(now, ++this.counter);
  }
  async getTicket(number: string) {
    return this.copy(this.tickets.get(number));
  }
  async getCustomer(login: string) {
    return this.copy(this.customers.get(login));
  }
  async recordDelivery(d: Delivery): Promise<boolean> {
    if (this.deliveries.has(d.deliveryId)) return false;
    this.deliveries.set(d.deliveryId, { ...d });
    return true;
  }
  async claimDelivery(d: Delivery, _ttl: number, expected?: Pick<Delivery, 'status' | 'leaseUntil'>): Promise<ClaimResult> {
    const existing = this.deliveries.get(d.deliveryId);
    const ok = expected ? existing?.status === expected.status && existing.leaseUntil === expected.leaseUntil : !existing;
    if (!ok) return { claimed: false, existing: { ...(existing ?? d) } };
    this.deliveries.set(d.deliveryId, { ...d });
    return { claimed: true };
  }
  async releaseDelivery(deliveryId: string, leaseUntil: string): Promise<void> {
    const d = this.deliveries.get(deliveryId);
    if (d?.leaseUntil === leaseUntil) delete d.leaseUntil;
  }
  async writeRecords(r: InboundRecords): Promise<void> {
    if (r.newCustomer) this.customers.set(r.newCustomer.login, { ...r.newCustomer });
    if (r.newTicket) this.tickets.set(r.newTicket.number, { ...r.newTicket });
    const i = this.articles.findIndex((a) => a.ticketNumber === r.article.ticketNumber && a.articleId === r.article.articleId);
    if (i >= 0) this.articles[i] = r.article;
    else this.articles.push(r.article);
    if (r.token) this.tokens.set(r.token.hash, { ...r.token });
    if (r.indexMessageId) this.messageIds.set(r.indexMessageId, { messageId: r.indexMessageId, ticketNumber: r.article.ticketNumber, customerLogin: r.delivery.customerLogin ?? '' });
    if (r.autoReplyCount) this.autoReplies.set(`${r.autoReplyCount.sender}#${r.autoReplyCount.day}`, r.autoReplyCount.count);
    this.deliveries.set(r.delivery.deliveryId, { ...r.delivery });
  }
  async updateFollowUpTicket(u: FollowUpUpdate): Promise<UpdateResult> {
    this.interfere?.('updateFollowUpTicket');
    const t = this.tickets.get(u.ticketNumber);
    if (!t || t.customerLogin !== u.customerLogin) return 'conflict';
    if (u.token && t.activeTokenHash !== u.previousTokenHash) return 'conflict';
    t.updatedAt = u.updatedAt;
    if (u.reopen) {
      t.state = 'open';
      delete t.closedAt;
    }
    if (u.token) {
      t.activeTokenHash = u.token.hash;
      t.activeTokenExpiresAt = u.token.expiresAt;
    }
    return 'updated';
  }
  async activateToken(token: TokenRecord, previous: string | undefined): Promise<UpdateResult> {
    this.tokens.set(token.hash, { ...token });
    this.interfere?.('activateToken');
    const t = this.tickets.get(token.ticketNumber);
    if (!t || t.activeTokenHash !== previous) return 'conflict';
    t.activeTokenHash = token.hash;
    t.activeTokenExpiresAt = token.expiresAt;
    return 'updated';
  }
  async markReplied(d: Delivery, providerMessageId: string, sentToken: TokenRecord): Promise<void> {
    this.deliveries.set(d.deliveryId, { ...d, providerMessageId });
    this.tokens.set(sentToken.hash, { ...sentToken });
  }
  private copy<T>(v: T | undefined): T | undefined {
    return v === undefined ? undefined : structuredClone(v);
  }
}
