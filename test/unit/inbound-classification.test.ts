/** Which inbound mail is worked on, and why not: the pure classifier, case by case (no peers, no parsing). */
import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../shared/config.js';
import { classifyMail, classifyReceipt, deliveryKey, sesDeliveryKey, type MailFacts } from '../../shared/domain/inbound-classification.js';

const config = parseConfig({ PortalUrl: 'https://portal.example.com', SupportAddress: 'support@example.com', OwnAddresses: ['billing@example.com'] });
const envelope = { deliveryId: 'ses-1', envelopeSender: 'bounce-path@example.org' };

/** A parsed mail as the MailParser port hands it over; header names are matched lower-cased, as the adapter does. */
function mail(over: Partial<Omit<MailFacts, 'header'>> & { headers?: Record<string, string> } = {}): MailFacts {
  const headers = new Map(Object.entries(over.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return { fromAddress: 'Ann@Example.ORG', fromAmbiguous: false, messageId: 'm1@example.org', reportType: over.reportType, ...over, header: (name) => headers.get(name.toLowerCase()) };
}

describe('classifyReceipt: SES verdicts, before the mail is read', () => {
  it.each([
    [{ virus: 'FAIL' }, { status: 'dropped', reason: 'virus' }],
    [{ spam: 'FAIL' }, { status: 'rejected', reason: 'spam' }],
    [{ dmarc: 'FAIL', dmarcPolicy: 'reject' }, { status: 'rejected', reason: 'dmarc:reject' }],
    [{ virus: 'FAIL', spam: 'FAIL' }, { status: 'dropped', reason: 'virus' }],
    [{ dmarc: 'FAIL', dmarcPolicy: 'none' }, undefined],
    [{ spam: 'PASS', virus: 'PASS' }, undefined],
  ])('%j → %j', (verdicts, expected) => {
    expect(classifyReceipt(verdicts, config.Verdicts)).toEqual(expected);
  });
});

describe('classifyMail: not processed, with the reason', () => {
  it.each([
    ['a delivery report, whatever its From', mail({ reportType: 'delivery-status' }), envelope, { reason: 'report:delivery-status' }],
    ['a null reverse-path on the envelope', mail(), { ...envelope, envelopeSender: '' }, { reason: 'null-reverse-path' }],
    ['Return-Path: <>', mail({ headers: { 'Return-Path': '<>' } }), envelope, { reason: 'null-reverse-path' }],
    ['no single From mailbox', mail({ fromAmbiguous: true, fromAddress: undefined }), envelope, { reason: 'from-missing-or-ambiguous' }],
    ['an invalid From', mail({ fromAddress: 'not an address' }), envelope, { reason: 'from-invalid' }],
    ['a UTF-8 local part SES cannot send to', mail({ fromAddress: 'jürgen@example.org' }), envelope, { reason: 'from-local-part-not-ascii' }],
    ['a mailer-daemon', mail({ fromAddress: 'MAILER-DAEMON@example.org' }), envelope, { reason: 'automated-sender', sender: 'mailer-daemon@example.org' }],
    ['a no-reply sender', mail({ fromAddress: 'no-reply+x@example.org' }), envelope, { reason: 'automated-sender', sender: 'no-reply+x@example.org' }],
    ['our support address', mail({ fromAddress: 'Support@Example.com' }), envelope, { reason: 'automated-sender', sender: 'support@example.com' }],
    ['one of our own addresses', mail({ fromAddress: 'billing@example.com' }), envelope, { reason: 'automated-sender', sender: 'billing@example.com' }],
    ['a report from an automated sender: the report decides', mail({ reportType: 'disposition-notification', fromAddress: 'postmaster@example.org' }), envelope, { reason: 'report:disposition-notification' }],
  ])('%s', (_case, facts, env, expected) => {
    expect(classifyMail(facts, env, config)).toEqual({ status: 'ignored', sender: undefined, ...expected });
  });
});

describe('classifyMail: accepted', () => {
  it('accepts the From mailbox lower-cased, as the customer, keyed by sender and Message-ID', () => {
    expect(classifyMail(mail(), envelope, config)).toEqual({
      status: 'accepted',
      sender: 'ann@example.org',
      customerLogin: 'ann@example.org',
      ignoredHeaders: [],
      loop: undefined,
      key: deliveryKey('ann@example.org', 'm1@example.org', 'ses-1'),
    });
  });

  it.each([
    [{ 'Auto-Submitted': 'auto-replied' }, 'auto-submitted:auto-replied'],
    [{ 'Auto-Submitted': 'no' }, undefined],
    [{ Precedence: 'bulk' }, 'precedence:bulk'],
    [{ 'List-Id': '<news.example.org>' }, 'list-id'],
    [{ 'List-Unsubscribe': '<mailto:u@example.org>' }, 'list-unsubscribe'],
    [{ 'X-Auto-Response-Suppress': 'OOF, AutoReply' }, 'x-auto-response-suppress'],
  ])('%j: accepted, with the loop marker %s (no reply, no new customer)', (headers, loop) => {
    expect(classifyMail(mail({ headers }), envelope, config)).toMatchObject({ status: 'accepted', sender: 'ann@example.org', loop });
  });

  it.each([
    ['on: the header is ignored and named', true, { 'X-OTOBO-CustomerUser': 'boss@example.org', 'X-OTRS-CustomerNo': '42' }, 'ann@example.org', ['x-otobo-customeruser', 'x-otrs-customerno']],
    ['off: X-OTOBO-CustomerUser picks the customer', false, { 'X-OTOBO-CustomerUser': 'Boss@Example.org' }, 'boss@example.org', []],
    ['off: X-OTRS-CustomerUser picks the customer', false, { 'X-OTRS-CustomerUser': 'chief@example.org' }, 'chief@example.org', []],
    ['off: an invalid header value falls back to the sender', false, { 'X-OTOBO-CustomerUser': 'nobody' }, 'ann@example.org', []],
  ])('customer headers with spoof protection %s', (_case, protection, headers, customerLogin, ignoredHeaders) => {
    const sorted = classifyMail(mail({ headers }), envelope, { ...config, CustomerHeaderSpoofProtection: protection });
    expect(sorted).toMatchObject({ status: 'accepted', sender: 'ann@example.org', customerLogin, ignoredHeaders });
  });
});

describe('the dedup key', () => {
  it('is the same for every SES copy of one mail, differs per sender, and falls back to the SES id', () => {
    const first = classifyMail(mail(), { deliveryId: 'ses-1' }, config);
    const copy = classifyMail(mail(), { deliveryId: 'ses-2' }, config);
    const other = classifyMail(mail({ fromAddress: 'bob@example.org' }), { deliveryId: 'ses-1' }, config);
    const noId = classifyMail(mail({ messageId: undefined }), { deliveryId: 'ses-3' }, config);

    expect(first.status === 'accepted' && first.key).toMatch(/^msg:[\w-]{43}$/);
    expect(copy).toMatchObject({ key: (first as { key: string }).key });
    expect(other).not.toMatchObject({ key: (first as { key: string }).key });
    expect(noId).toMatchObject({ key: sesDeliveryKey('ses-3') });
    expect(sesDeliveryKey('ses-3')).toBe('ses:ses-3');
  });
});
