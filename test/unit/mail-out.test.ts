import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../shared/config.js';
import { renderTemplate } from '../../shared/domain/templates.js';
import { formatFrom, mailHeaders, referencesHeader } from '../../shared/adapters/ses/ses-mailer.js';
import { hashToken, isWellFormedToken, linkFor, mintToken } from '../../shared/domain/tokens.js';
import { cryptoRandom } from '../../shared/system.js';
import { parseLocalVerdicts } from '../../local/smtp-inbound.js';
import { agentReply } from '../../shared/use-cases/agent-reply.js';
import { receiveMail } from '../../shared/use-cases/receive-mail.js';
import { MimeMailParser } from '../../shared/adapters/mime/parse-mail.js';
import { FakeClock, RecordingLogger, RecordingMetrics, testCodeKey } from '../support/fakes.js';
import { mime } from '../support/mail.js';
import { MemoryFiles, MemoryMailer, MemoryPublisher, MemoryRawMail, memoryRepositories } from '../support/memory.js';

const config = parseConfig({});
const values = { TicketNumber: '20261125000001', Title: '<img src=x onerror=alert(1)> Bill\r\nBcc: evil@example.com', Link: 'https://p.example/link/20261125000001/abc', CustomerEmail: 'a@b.example', Code: '7KQ4-M9XT', CodeUrl: 'https://p.example/code' };

describe('templates', () => {
  it('escapes user-supplied values in HTML and keeps the subject on one line with the ticket tag', () => {
    const r = renderTemplate(config.AutoReply, values, 'en', config);
    expect(r.html).not.toContain('<img');
    expect(r.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(r.html).toContain('<a href="https://p.example/link/20261125000001/abc">');
    expect(r.subject).not.toMatch(/[\r\n]/);
    expect(r.subject.startsWith('[Ticket#20261125000001]')).toBe(true);
  });

  it('renders German and adds the ticket tag when a custom subject lacks it', () => {
    const r = renderTemplate({ Subject: { en: 'Thanks', de: 'Danke' }, Body: 'Link: {{Link}} {{Unknown}}' }, values, 'de', config);
    expect(r.subject).toBe('[Ticket#20261125000001] Danke');
    // A template without {{Code}} still carries the code: the labelled line, in the mail's language.
    expect(r.text).toBe(
      'Link: https://p.example/link/20261125000001/abc {{Unknown}}\n\nAnmeldecode: 7KQ4-M9XT\nLink schon benutzt, oder lesen Sie dies auf einem anderen Gerät? Geben Sie den Code mit der Ticketnummer 20261125000001 unter https://p.example/code ein.',
    );
    expect(r.html).toContain('<strong>7KQ4-M9XT</strong>');
  });
});

describe('outgoing mail (SES v2 simple content)', () => {
  const mail = {
    from: { name: 'Support', address: 'support@example.com' },
    to: 'alice@example.org',
    subject: '[Ticket#20261125000001] Hi',
    text: 'plain',
    html: '<p>html</p>',
    language: 'de' as const,
    inReplyTo: 'm1@example.org',
    references: ['m0@example.org', 'm1@example.org'],
  };

  it('carries threading headers, RFC 3834 headers for machine-made mail, and the language', () => {
    expect(mailHeaders({ ...mail, autoSubmitted: 'auto-replied' })).toEqual([
      { Name: 'Content-Language', Value: 'de' },
      { Name: 'Auto-Submitted', Value: 'auto-replied' },
      { Name: 'X-Auto-Response-Suppress', Value: 'All' },
      { Name: 'In-Reply-To', Value: '<m1@example.org>' },
      { Name: 'References', Value: '<m0@example.org> <m1@example.org>' },
    ]);
    expect(mailHeaders(mail).map((h) => h.Name)).not.toContain('Auto-Submitted');
  });

  it('keeps header values within SES limits: printable ASCII ids only, References cut from the oldest end at 870 characters', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `${'x'.repeat(40)}-${i}@example.org`);
    const references = referencesHeader([...ids, 'bad id with spaces', 'ümlaut@example.org']) ?? '';
    expect(references.length).toBeLessThanOrEqual(870);
    expect(references).toContain(`-39@example.org>`);
    expect(references).not.toContain(`-0@example.org>`);
    expect(references).not.toMatch(/[^\x20-\x7e]|bad id/);
    expect(mailHeaders({ ...mail, inReplyTo: 'a b@c' }).map((h) => h.Name)).not.toContain('In-Reply-To');
  });

  it('names each message once in References, order kept, ids compared case-insensitively', () => {
    expect(referencesHeader(['a1@example.org', 'B2@example.org', 'A1@EXAMPLE.ORG', 'b2@example.org', 'c3@example.org'])).toBe('<a1@example.org> <B2@example.org> <c3@example.org>');
  });

  it('writes a non-ASCII display name as an encoded word and refuses header smuggling in it', () => {
    expect(formatFrom('Support', 'support@example.com')).toBe('"Support" <support@example.com>');
    expect(formatFrom('Kundendienst Müller', 's@example.com')).toBe(`=?UTF-8?B?${Buffer.from('Kundendienst Müller').toString('base64')}?= <s@example.com>`);
    expect(formatFrom('Evil\r\nBcc: x@y.z', 's@example.com')).not.toMatch(/[\r\n]/);
    expect(formatFrom('', 's@example.com')).toBe('s@example.com');
  });
});

describe('agent reply mail', () => {
  it('greets once in German (the agent’s own greeting) and names the customer’s one mail once in References', async () => {
    // Prepare: a German customer's first mail opens a ticket, so its first and last message are the same.
    const repos = memoryRepositories();
    const mailer = new MemoryMailer();
    const rawMail = new MemoryRawMail();
    const deps = {
      config: parseConfig({ PortalUrl: 'https://portal.example.com' }),
      clock: new FakeClock(),
      random: cryptoRandom,
      codeKey: testCodeKey(),
      rawMail,
      fileStore: new MemoryFiles().store,
      helpdeskFiles: new MemoryFiles().helpdesk,
      mailParser: new MimeMailParser(),
      mailer,
      publisher: new MemoryPublisher(),
      logger: new RecordingLogger(),
      metrics: new RecordingMetrics(),
      ...repos,
    };
    rawMail.objects.set('inbound/d1', await mime({ from: 'mueller@example.de', subject: 'Drucker', text: 'Er brennt.', messageId: '<m1@example.de>', headers: { 'Content-Language': 'de' } }));
    await receiveMail(deps, { deliveryId: 'd1', receivedAt: deps.clock.now().toISOString(), rawMailKey: 'inbound/d1', verdicts: {} });
    const [ticket] = repos.world.tickets.values();

    // Act
    await agentReply(deps, { eventId: 'e1', ticketNumber: ticket!.number, text: 'Guten Tag Herr Müller,\n\nder Drucker ist ersetzt.', from: 'Anna' });

    // Assert
    const reply = mailer.sent[1]!;
    expect(reply.language).toBe('de');
    expect(reply.text.match(/Guten Tag/g)).toHaveLength(1);
    expect(reply.text.startsWith('Guten Tag Herr Müller,')).toBe(true);
    expect(mailHeaders(reply)).toEqual(expect.arrayContaining([{ Name: 'In-Reply-To', Value: '<m1@example.de>' }, { Name: 'References', Value: '<m1@example.de>' }]));
  });

  it('frames the agent’s text without a greeting of its own in every shipped language', () => {
    for (const language of config.Languages) {
      const r = renderTemplate(config.AgentReplyNotification, { ...values, Text: 'AGENT-TEXT', AgentName: 'Anna' }, language, config);
      expect(r.text.startsWith('AGENT-TEXT')).toBe(true);
    }
  });
});

describe('tokens', () => {
  it('are 256 bits, URL-safe, hashed with SHA-256 and expire after TokenMaxAgeDays', () => {
    const t = mintToken(cryptoRandom, { TokenMaxAgeDays: 30 }, new Date('2026-11-25T00:00:00Z'), { ticketNumber: '1', customerLogin: 'a@b.example', purpose: 'auto-reply' }, Buffer.alloc(32, 7));
    expect(Buffer.from(t.raw, 'base64url')).toHaveLength(32);
    expect(isWellFormedToken(t.raw)).toBe(true);
    expect(t.active.hash).toBe(hashToken(t.raw));
    expect(t.active.hash).not.toContain(t.raw);
    expect(t.active.expiresAt).toBe('2026-12-25T00:00:00.000Z');
    expect(linkFor('https://p.example', '1', t.raw)).toBe(`https://p.example/link/1/${t.raw}`);
    expect(isWellFormedToken('../../etc/passwd')).toBe(false);
  });
});

describe('local verdict switch', () => {
  it('parses X-OTA-Local-Verdicts', () => {
    expect(parseLocalVerdicts('spam=FAIL, dmarc=fail/Reject')).toEqual({ spam: 'FAIL', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'FAIL', dmarcPolicy: 'reject' });
    expect(parseLocalVerdicts(undefined).spam).toBe('PASS');
    expect(parseLocalVerdicts('bogus=FAIL;virus').virus).toBe('PASS');
  });
});
