/** agent-reply on the in-memory ports: the helpdesk's answer, kept once and mailed with a fresh link. */
import { describe, expect, it } from '@jest/globals';
import { hashToken } from '../../shared/domain/tokens.js';
import { NotFoundError, RefusedError } from '../../shared/errors.js';
import { agentReply } from '../../shared/use-cases/agent-reply.js';
import { changeTicketState } from '../../shared/use-cases/change-ticket-state.js';
import { setCustomerStatus } from '../../shared/use-cases/set-customer-status.js';
import { memorySystem } from '../support/memory-system.js';

const ANN = 'ann@example.org';
const outboundOf = (s: ReturnType<typeof memorySystem>, number: string) => (s.world.articles.get(number) ?? []).filter((a) => a.direction === 'outbound');

describe('agent-reply (use case)', () => {
  it('keeps the reply as an outbound article and mails its text with a fresh link, threaded, written by a person', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN, { firstMessageId: 'first@example.org', lastMessageId: 'last@example.org' });

    // Act
    const outcome = await agentReply(s.deps, { eventId: 'e1', ticketNumber: ticket.number, text: 'We replaced the printer.', from: 'Anna from Support' });

    // Assert
    expect(outcome).toMatchObject({ mailed: true });
    expect(outboundOf(s, ticket.number).map((a) => [a.channel, a.fromName, a.text])).toEqual([['helpdesk', 'Anna from Support', 'We replaced the printer.']]);
    const { token, mail } = s.linkTo(ANN);
    expect(mail.text).toContain('We replaced the printer.');
    expect(mail).toMatchObject({ inReplyTo: 'last@example.org', references: ['first@example.org', 'last@example.org'], autoSubmitted: undefined });
    expect(s.world.tickets.get(ticket.number)?.activeToken?.hash).toBe(hashToken(token));
  });

  it('lists the files the helpdesk put for the ticket on the article, and the mail says they wait in the portal', async () => {
    // Prepare: the helpdesk put two files under its prefix for this ticket
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN, {}, { language: 'de' });
    const key = (name: string) => `helpdesk-files/${ticket.number}/r1/${name}`;
    s.files.objects.set(key('rechnung.pdf'), { bytes: Buffer.from('%PDF'), contentType: 'application/pdf' });
    s.files.objects.set(key('x'), { bytes: Buffer.from('PNG!!'), contentType: 'image/png; x=1' });

    // Act
    await agentReply(s.deps, { eventId: 'e1', ticketNumber: ticket.number, text: 'Anbei die Rechnung.', attachments: [{ key: key('rechnung.pdf') }, { key: key('x'), name: '../Foto\u202Egnp.exe' }] });

    // Assert
    expect(outboundOf(s, ticket.number)[0]?.attachments).toEqual([
      { filename: 'rechnung.pdf', contentType: 'application/pdf', size: 4, key: key('rechnung.pdf') },
      { filename: 'Foto gnp.exe', contentType: 'image/png', size: 5, key: key('x') },
    ]);
    expect(s.linkTo(ANN).mail.text).toContain('Zu dieser Antwort liegen 2 Dateien im Portal für Sie bereit: rechnung.pdf, Foto gnp.exe');
  });

  it.each([
    ['a key of another ticket', (n: string) => `helpdesk-files/2099${n.slice(4)}/a.pdf`, RefusedError],
    ['a key outside the helpdesk’s prefix (the raw mail)', () => 'inbound/ses-message-id', RefusedError],
    ['a key that climbs out of its folder', (n: string) => `helpdesk-files/${n}/../../inbound/x`, RefusedError],
    ['a file that is not there', (n: string) => `helpdesk-files/${n}/missing.pdf`, NotFoundError],
  ])('refuses %s, writing and mailing nothing', async (_label, keyOf, error) => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);

    // Act / Assert
    await expect(agentReply(s.deps, { eventId: 'e1', ticketNumber: ticket.number, text: 'x', attachments: [{ key: keyOf(ticket.number) }] })).rejects.toBeInstanceOf(error);
    expect(outboundOf(s, ticket.number)).toEqual([]);
    expect(s.mailer.sent).toEqual([]);
  });

  it('writes the same article again for a redelivery, also one that comes after a failed send', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);
    const reply = { eventId: 'e1', eventTime: '2026-11-25T09:59:00.000Z', ticketNumber: ticket.number, text: 'Sorry for the wait.' };
    s.mailer.failures = 1;

    // Act
    const failed = await agentReply(s.deps, reply).catch((e: unknown) => e);
    s.clock.advance(5 * 60_000);
    const retried = await agentReply(s.deps, reply);

    // Assert
    expect(failed).toBeInstanceOf(Error);
    expect(retried).toMatchObject({ mailed: true });
    expect(outboundOf(s, ticket.number).map((a) => [a.articleId.split('#')[0], a.text])).toEqual([['2026-11-25T09:59:00.000Z', 'Sorry for the wait.']]);
    expect(s.mailer.sent).toHaveLength(1);
  });

  it('keeps the reply but mails nothing to a disabled customer, or beyond the window, and says why', async () => {
    // Prepare
    const s = memorySystem();
    const disabled = (await s.customerWithTicket(ANN)).ticket;
    await setCustomerStatus(s.deps, ANN, true);
    const closed = (await s.customerWithTicket('bob@example.org')).ticket;
    await changeTicketState(s.deps, { ticketNumber: closed.number, state: 'closed' });
    s.clock.advance(15 * 86_400_000);

    // Act
    const outcomes = [await agentReply(s.deps, { eventId: 'e1', ticketNumber: disabled.number, text: 'Hello?' }), await agentReply(s.deps, { eventId: 'e2', ticketNumber: closed.number, text: 'Late' })];

    // Assert
    expect(outcomes.map((o) => !o.mailed && o.reason)).toEqual(['customer-disabled', 'not-accessible']);
    expect(outboundOf(s, disabled.number)).toHaveLength(1);
    expect(s.mailer.sent).toEqual([]);
  });

  it('refuses a ticket that is missing or merged away', async () => {
    // Prepare
    const s = memorySystem();
    const target = (await s.customerWithTicket(ANN)).ticket;
    const merged = (await s.customerWithTicket(ANN)).ticket;
    await changeTicketState(s.deps, { ticketNumber: merged.number, state: 'merged', mergedInto: target.number });

    // Act, Assert
    await expect(agentReply(s.deps, { eventId: 'e1', ticketNumber: '20990101999999', text: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(agentReply(s.deps, { eventId: 'e2', ticketNumber: merged.number, text: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    expect(s.world.articles.size).toBe(0);
  });
});
