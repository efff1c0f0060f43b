/** The records an inbound mail writes, built from its decisions: pure, case by case (no peers, no ports). */
import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../shared/config.js';
import type { Customer, Delivery, Ticket } from '../../shared/domain/model.js';
import type { MintedToken } from '../../shared/domain/tokens.js';
import type { ParsedMail } from '../../shared/ports/mail-parser.js';
import {
  autoReplyMail,
  claimedDelivery,
  customerFor,
  droppedReply,
  mailRecords,
  repliedDelivery,
  unprocessedDelivery,
  type RecordsInput,
} from '../../shared/use-cases/inbound-records.js';

const config = parseConfig({ PortalUrl: 'https://portal.example.com' });
const NOW = '2026-11-25T10:00:00.000Z';
const origin = { deliveryId: 'ses-1', receivedAt: '2026-11-25T09:59:58.000Z', rawMailKey: 'inbound/ses-1' };

function parsed(over: Partial<ParsedMail> = {}, headers: Record<string, string> = {}): ParsedMail {
  return {
    fromAddress: 'ann@example.org',
    fromName: 'Ann',
    fromAmbiguous: false,
    subject: 'Re: Printer on fire',
    messageId: 'm1@example.org',
    inReplyTo: [],
    references: [],
    text: 'Help!',
    textTruncated: false,
    attachments: [{ filename: 'log.txt', contentType: 'text/plain', size: 12 }],
    attachmentsOmitted: 0,
    header: (name) => headers[name],
    ...over,
  };
}

const ann: Customer = { login: 'ann@example.org', customerId: 'ann@example.org', email: 'ann@example.org', language: 'en', disabled: false, source: 'mail', failedLogins: 0, createdAt: NOW };
const claimed = claimedDelivery(origin, { key: 'msg:k1', sender: 'ann@example.org', customerLogin: 'ann@example.org', ticketNumber: '20261125000001', newTicket: true, leaseUntil: '2026-11-25T10:00:45.000Z', mail: parsed() });
const minted: MintedToken = { raw: 'raw', ticketNumber: '20261125000001', customerLogin: 'ann@example.org', active: { hash: 'h1', purpose: 'auto-reply', createdAt: NOW, expiresAt: '2026-12-25T10:00:00.000Z' },
  code: { raw: '7KQ4M9XT', active: { hash: 'c1', tokenHash: 'h1', createdAt: NOW, expiresAt: '2026-12-25T10:00:00.000Z' } },
};
const followUp: Ticket = { number: '20261120000007', customerLogin: 'ann@example.org', title: 'Printer', state: 'closed', createdAt: NOW, updatedAt: NOW, autoCreatedCustomer: true };
const input = (over: Partial<RecordsInput> = {}): RecordsInput => ({ origin, mail: parsed(), claimed, customer: ann, isNewCustomer: true, reopened: false, minted, messageIdKnown: false, now: NOW, ...over });

describe('mailRecords', () => {
  it.each([
    ['a new ticket, reply due', input(), { newTicket: true, events: ['TicketCreated'], status: 'reply-pending', lease: true, newCustomer: true, index: 'm1@example.org' }],
    ['a new ticket, no reply (daily cap)', input({ minted: undefined, noReplyReason: 'daily-cap', isNewCustomer: false }), { newTicket: true, events: ['TicketCreated'], status: 'recorded', lease: false, newCustomer: false, index: 'm1@example.org' }],
    ['a follow-up that reopened its ticket', input({ followUp, reopened: true }), { newTicket: false, events: ['CustomerReplied', 'TicketReopened'], status: 'reply-pending', lease: true, newCustomer: true, index: 'm1@example.org' }],
    ['a follow-up of an open ticket, from a loop', input({ followUp, minted: undefined, noReplyReason: 'precedence:bulk' }), { newTicket: false, events: ['CustomerReplied'], status: 'recorded', lease: false, newCustomer: true, index: 'm1@example.org' }],
    ['a Message-ID indexed before', input({ messageIdKnown: true }), { newTicket: true, events: ['TicketCreated'], status: 'reply-pending', lease: true, newCustomer: true, index: undefined }],
    ['a mail without a Message-ID', input({ mail: parsed({ messageId: undefined }) }), { newTicket: true, events: ['TicketCreated'], status: 'reply-pending', lease: true, newCustomer: true, index: undefined }],
  ])('%s', (_case, r, expected) => {
    const { records, events } = mailRecords(r);
    expect(Boolean(records.newTicket)).toBe(expected.newTicket);
    expect(events.map((e) => e.type)).toEqual(expected.events);
    expect(records.delivery.status).toBe(expected.status);
    // A pending reply keeps the lease, so a concurrent duplicate cannot send it again; a settled delivery holds none.
    expect(records.delivery.leaseUntil).toBe(expected.lease ? claimed.leaseUntil : undefined);
    expect(records.delivery.reason).toBe(r.noReplyReason);
    expect(records.newCustomer).toBe(expected.newCustomer ? ann : undefined);
    expect(records.indexMessageId).toBe(expected.index);
  });

  it('builds a new ticket that already holds the new link, titled from the subject and threaded by the Message-ID', () => {
    const { records, title } = mailRecords(input());
    expect(title).toBe('Printer on fire');
    expect(records.newTicket).toEqual({
      number: '20261125000001',
      customerLogin: 'ann@example.org',
      title: 'Printer on fire',
      state: 'new',
      createdAt: NOW,
      updatedAt: NOW,
      autoCreatedCustomer: true,
      language: 'en',
      activeToken: minted.active,
      activeCode: minted.code.active,
      firstMessageId: 'm1@example.org',
      lastMessageId: 'm1@example.org',
    });
    expect(mailRecords(input({ minted: undefined })).records.newTicket?.activeToken).toBeUndefined();
    expect(mailRecords(input({ minted: undefined })).records.newTicket?.activeCode).toBeUndefined();
  });

  it('keeps a follow-up under its ticket’s title and the article under its ticket', () => {
    const { records, title } = mailRecords(input({ followUp, claimed: { ...claimed, ticketNumber: followUp.number } }));
    expect(title).toBe('Printer');
    expect(records.article.ticketNumber).toBe(followUp.number);
  });

  it('keeps what the article needs, bounded: subject cut at 998 characters, attachments listed, the rest counted', () => {
    const { records } = mailRecords(input({ mail: parsed({ subject: 'x'.repeat(2000), attachmentsOmitted: 3, textTruncated: true }) }));
    expect(records.article).toMatchObject({ direction: 'inbound', channel: 'mail', fromAddress: 'ann@example.org', fromName: 'Ann', text: 'Help!', textTruncated: true, attachmentsOmitted: 3, rawMailKey: 'inbound/ses-1', messageId: 'm1@example.org', createdAt: origin.receivedAt });
    expect(records.article.subject).toHaveLength(998);
    expect(records.article.attachments).toEqual([{ filename: 'log.txt', contentType: 'text/plain', size: 12 }]);
    expect(mailRecords(input()).records.article).not.toHaveProperty('attachmentsOmitted');
  });

  it('derives the article id and the event ids from the delivery, so a retry rewrites the same items', () => {
    const once = mailRecords(input({ followUp, reopened: true }));
    const again = mailRecords(input({ followUp, reopened: true }));
    const otherMail = mailRecords(input({ followUp, reopened: true, claimed: { ...claimed, key: 'msg:k2' } }));
    expect(again.records.article.articleId).toBe(once.records.article.articleId);
    expect(once.records.article.articleId).toMatch(new RegExp(`^${origin.receivedAt}#[0-9a-f]{16}$`));
    expect(once.events.map((e) => e.eventId)).toEqual(['msg:k1:replied', 'msg:k1:reopened']);
    expect(otherMail.records.article.articleId).not.toBe(once.records.article.articleId);
  });
});

describe('the delivery in each state', () => {
  it('records a mail that is not processed under its SES id, or under the key it was given', () => {
    expect(unprocessedDelivery(origin, { status: 'rejected', reason: 'spam' })).toEqual({ key: 'ses:ses-1', deliveryId: 'ses-1', status: 'rejected', reason: 'spam', sender: undefined, rawMailKey: 'inbound/ses-1', receivedAt: origin.receivedAt });
    expect(unprocessedDelivery(origin, { status: 'ignored', reason: 'duplicate-message-id', sender: 'ann@example.org' }, 'msg:k1')).toMatchObject({ key: 'msg:k1', sender: 'ann@example.org' });
  });

  it('claims with a lease, the ticket number and at most 20 references for threading', () => {
    const refs = Array.from({ length: 25 }, (_, i) => `r${i}@example.org`);
    const claim = claimedDelivery(origin, { key: 'msg:k1', sender: 's@example.org', customerLogin: 'c@example.org', ticketNumber: 'T1', newTicket: false, leaseUntil: 'L', mail: parsed({ references: refs }) });
    expect(claim).toMatchObject({ status: 'processing', leaseUntil: 'L', ticketNumber: 'T1', newTicket: false, sender: 's@example.org', customerLogin: 'c@example.org', inboundMessageId: 'm1@example.org' });
    expect(claim.references).toEqual(refs.slice(-20));
  });

  it('settles as replied, or as recorded when the reply is no longer due, without a lease either way', () => {
    const pending: Delivery = { ...claimed, status: 'reply-pending' };
    expect(repliedDelivery(pending, NOW, 'ses-out-1')).toMatchObject({ status: 'replied', leaseUntil: undefined, repliedAt: NOW, providerMessageId: 'ses-out-1' });
    expect(droppedReply(pending, 'not-accessible')).toMatchObject({ status: 'recorded', reason: 'reply-dropped:not-accessible', leaseUntil: undefined });
  });
});

describe('customerFor', () => {
  it('keeps a known customer as stored', () => {
    const known = { ...ann, language: 'de' as const, source: 'ops' as const };
    expect(customerFor(known, 'ann@example.org', parsed(), config, NOW)).toBe(known);
  });

  it.each([
    [{ 'content-language': 'de-DE' }, 'de', true],
    [{ 'accept-language': 'de' }, 'de', true],
    [{ 'content-language': 'en' }, 'en', true],
    [{ 'content-language': 'fr' }, 'en', false],
    [{}, 'en', false],
  ])('creates a new one by the add-on’s convention, in the mail’s language where we have it: %j → %s (declared: %s)', (headers, language, named) => {
    // A language the mail named is the customer's own (it beats a browser's); the default standing in is not.
    const declared = named ? { languageDeclared: true } : {};
    expect(customerFor(undefined, 'new@example.org', parsed({}, headers), config, NOW)).toEqual({
      login: 'new@example.org',
      customerId: 'new@example.org',
      email: 'new@example.org',
      language,
      ...declared,
      disabled: false,
      source: 'mail',
      failedLogins: 0,
      createdAt: NOW,
      name: 'Ann',
    });
  });

  it('keeps the From display name without control characters, and none when the mail gave none', () => {
    expect(customerFor(undefined, 'new@example.org', parsed({ fromName: ' Ann\u202E Example ' }), config, NOW).name).toBe('Ann  Example');
    expect(customerFor(undefined, 'new@example.org', parsed({ fromName: '' }), config, NOW)).not.toHaveProperty('name');
  });
});

describe('autoReplyMail', () => {
  it.each([
    [{ inboundMessageId: 'm9@x', references: ['a@x', 'b@x'] }, { inReplyTo: 'm9@x', references: ['a@x', 'b@x', 'm9@x'] }],
    [{ inboundMessageId: 'm9@x', references: Array.from({ length: 20 }, (_, i) => `r${i}@x`) }, { inReplyTo: 'm9@x', references: [...Array.from({ length: 19 }, (_, i) => `r${i + 1}@x`), 'm9@x'] }],
    [{ inboundMessageId: undefined, references: ['a@x'] }, { inReplyTo: undefined, references: ['a@x'] }],
    [{}, { inReplyTo: undefined, references: [] }],
  ])('threads onto the inbound mail: %j', (delivery, expected) => {
    expect(autoReplyMail(delivery)).toEqual({ template: 'AutoReply', ...expected });
  });
});
