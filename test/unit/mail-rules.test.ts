import { describe, expect, it } from '@jest/globals';
import { backscatterReason, checkSender, cleanFileName, formatTicketNumber, isAutomatedSender, loopReason, messageIdsIn, normalizeAddress, textWithoutControls, ticketNumberFromSubject, titleFromSubject } from '../../shared/domain/mail-rules.js';
import { judgeVerdicts } from '../../shared/domain/verdicts.js';
import { parseConfig } from '../../shared/config.js';

describe('sender addresses', () => {
  it.each([
    ['Alice@Example.COM', 'alice@example.com'],
    ['  bob@localhost ', 'bob@localhost'],
    ['a+tag@sub.example.org', 'a+tag@sub.example.org'],
  ])('normalises %s', (raw, expected) => expect(normalizeAddress(raw)).toBe(expected));

  it.each([
    ['user@xn--e1afmkfd.xn--p1ai', 'user@xn--e1afmkfd.xn--p1ai'],
    ['User@Bücher.Example', 'user@xn--bcher-kva.example'],
  ])('normalises the internationalised domain of %s to its IDNA form', (raw, expected) => expect(normalizeAddress(raw)).toBe(expected));

  it('tells a UTF-8 local part (which SES cannot send to) from an invalid address', () => {
    expect(checkSender('jürgen@example.com')).toEqual({ reason: 'from-local-part-not-ascii' });
    expect(checkSender('not an address')).toEqual({ reason: 'from-invalid' });
    expect(checkSender('a@b..example')).toEqual({ reason: 'from-invalid' });
  });

  it.each(['', 'no-at-sign', 'a@b', 'a b@example.com', '"quoted"@example.com', 'a@example.com\r\nBcc: x@y.z', `${'x'.repeat(250)}@example.com`, '.a@example.com', 'a..b@example.com'])(
    'rejects %j',
    (raw) => expect(normalizeAddress(raw)).toBeUndefined(),
  );

  it('knows automated senders and our own addresses', () => {
    expect(isAutomatedSender('mailer-daemon@example.com', [])).toBe(true);
    expect(isAutomatedSender('no-reply@shop.example', [])).toBe(true);
    expect(isAutomatedSender('bounces+123@lists.example', [])).toBe(true);
    expect(isAutomatedSender('support@example.com', ['support@example.com'])).toBe(true);
    expect(isAutomatedSender('norbert@example.com', [])).toBe(false);
  });
});

describe('loop protection', () => {
  it.each([
    [{ autoSubmitted: 'auto-replied' }, 'auto-submitted:auto-replied'],
    [{ autoSubmitted: 'auto-generated' }, 'auto-submitted:auto-generated'],
    [{ precedence: 'Bulk' }, 'precedence:bulk'],
    [{ precedence: 'junk' }, 'precedence:junk'],
    [{ precedence: 'list' }, 'precedence:list'],
    [{ listId: '<list.example.org>' }, 'list-id'],
    [{ autoResponseSuppress: 'OOF, AutoReply' }, 'x-auto-response-suppress'],
    [{ listUnsubscribe: '<mailto:leave@list.example>' }, 'list-unsubscribe'],
  ])('does not answer %j', (headers, reason) => expect(loopReason(headers)).toBe(reason));

  it('answers ordinary mail and Auto-Submitted: no', () => {
    expect(loopReason({})).toBeUndefined();
    expect(loopReason({ autoSubmitted: 'no' })).toBeUndefined();
    expect(loopReason({ precedence: 'first-class' })).toBeUndefined();
  });
});

describe('backscatter', () => {
  it.each([
    [{ reportType: 'delivery-status' }, 'report:delivery-status'],
    [{ envelopeSender: '' }, 'null-reverse-path'],
    [{ envelopeSender: '<>' }, 'null-reverse-path'],
    [{ returnPath: '<>' }, 'null-reverse-path'],
    [{ returnPath: ' < > ' }, 'null-reverse-path'],
  ])('never answers %j', (mail, reason) => expect(backscatterReason(mail)).toBe(reason));

  it('answers mail with a sender, whatever its Return-Path says otherwise', () => {
    expect(backscatterReason({ envelopeSender: 'a@b.example', returnPath: '<a@b.example>' })).toBeUndefined();
    expect(backscatterReason({})).toBeUndefined();
  });
});

describe('threading', () => {
  it('finds the ticket number in the subject', () => {
    expect(ticketNumberFromSubject('Re: [Ticket#20261125000001] help')).toBe('20261125000001');
    expect(ticketNumberFromSubject('[ticket#20261125000001]')).toBe('20261125000001');
    expect(ticketNumberFromSubject('Ticket 20261125000001')).toBeUndefined();
  });

  it('extracts Message-IDs, lower-cased, ignoring junk', () => {
    expect(messageIdsIn('<A@x.example> junk <b@Y.example>')).toEqual(['a@x.example', 'b@y.example']);
    expect(messageIdsIn(undefined)).toEqual([]);
    expect(messageIdsIn(`<${'x'.repeat(300)}>`)).toEqual([]);
  });

  it('makes titles from subjects and readable ticket numbers', () => {
    expect(titleFromSubject('RE: AW: Fwd: [Ticket#20261125000001]  Printer   broken')).toBe('Printer broken');
    expect(titleFromSubject('   ')).toBe('(no subject)');
    expect(titleFromSubject('Pay \u001b[31mnow\u202e gnp.exe')).toBe('Pay [31mnow gnp.exe');
    expect(titleFromSubject('Pay\u061cnow\u2028line\u2029para')).toBe('Pay now line para');
    expect(formatTicketNumber(new Date('2026-11-25T23:59:59Z'), 42)).toBe('20261125000042');
    expect(formatTicketNumber(new Date('2026-11-25T00:00:00Z'), 1234567)).toBe('202611251234567');
  });
});

describe('verdicts', () => {
  const rules = parseConfig({}).Verdicts;
  it.each([
    [{ virus: 'FAIL' }, { action: 'drop', reason: 'virus' }],
    [{ spam: 'FAIL' }, { action: 'reject', reason: 'spam' }],
    [{ dmarc: 'FAIL', dmarcPolicy: 'reject' }, { action: 'reject', reason: 'dmarc:reject' }],
    [{ dmarc: 'FAIL', dmarcPolicy: 'QUARANTINE' }, { action: 'reject', reason: 'dmarc:quarantine' }],
    [{ dmarc: 'FAIL' }, { action: 'accept' }],
    [{ spf: 'FAIL', dkim: 'FAIL' }, { action: 'accept' }],
    [{ spam: 'GRAY', virus: 'PROCESSING_FAILED' }, { action: 'accept' }],
  ])('%j → %j', (verdicts, decision) => expect(judgeVerdicts(verdicts, rules)).toEqual(decision));

  it('follows configuration', () => {
    expect(judgeVerdicts({ spf: 'FAIL' }, { ...rules, RejectOnSpfFail: true })).toEqual({ action: 'reject', reason: 'spf' });
    expect(judgeVerdicts({ spam: 'FAIL' }, { ...rules, RejectOnSpamFail: false })).toEqual({ action: 'accept' });
  });
});

describe('text and file names from customers', () => {
  it.each([
    ['NUL and escapes become a space', 'a\u0000b\x1b[1mc', 'a b [1mc'],
    ['DEL and C1 controls go', 'x\x7fy\u0085z', 'x y z'],
    ['bidi overrides and isolates go', 'abc\u202Edef\u2066g', 'abc def g'],
    ['CR LF, CR and the line separators become LF', 'a\r\nb\rc\u2028d\u2029e', 'a\nb\nc\nd\ne'],
    ['tabs and line feeds stay', 'a\tb\nc', 'a\tb\nc'],
  ])('textWithoutControls: %s', (_label, input, expected) => {
    expect(textWithoutControls(input)).toBe(expected);
  });

  it.each([
    ['a Windows path', 'C:\\Users\\ann\\invoice.pdf', 'invoice.pdf'],
    ['a relative path', '../../etc/passwd', 'passwd'],
    ['an override that fakes the extension', 'invoice\u202Efdp.exe', 'invoice fdp.exe'],
    ['controls and runs of space', ' a\u0000\n  b.txt ', 'a b.txt'],
    ['nothing left', '../..', '(unnamed)'],
    ['a name over the limit', `${'x'.repeat(300)}.pdf`, `${'x'.repeat(254)}…`],
  ])('cleanFileName: %s', (_label, input, expected) => {
    expect(cleanFileName(input)).toBe(expected);
  });
});
