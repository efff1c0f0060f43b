/**
 * apply-helpdesk-event on the in-memory ports: one event applied once however often it comes, and
 * each kind reaching its use case. The events arrive parsed (shared/events/helpdesk.ts has the schema).
 */
import { describe, expect, it } from '@jest/globals';
import { sha256 } from '../../shared/domain/tokens.js';
import type { HelpdeskEvent } from '../../shared/events/helpdesk.js';
import { RefusedError } from '../../shared/errors.js';
import { applyHelpdeskEvent } from '../../shared/use-cases/apply-helpdesk-event.js';
import { memorySystem } from '../support/memory-system.js';

const ANN = 'ann@example.org';

describe('apply-helpdesk-event (use case)', () => {
  it('applies an event once: a redelivery is answered from the ledger and changes nothing', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);
    const event: HelpdeskEvent = { id: 'e1', type: 'AgentReplied', detail: { ticketNumber: ticket.number, text: 'Once only.' } };

    // Act
    const first = await applyHelpdeskEvent(s.deps, event);
    const again = await applyHelpdeskEvent(s.deps, event);

    // Assert
    expect([first.status, again.status]).toEqual(['applied', 'duplicate']);
    expect(s.mailer.sent).toHaveLength(1);
    expect(s.metrics.get('EventDuplicate')).toBe(1);
  });

  it('leaves an event another invocation holds to it, and takes it over once its lease ran out', async () => {
    // Prepare: an invocation claimed the event and died
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);
    const event: HelpdeskEvent = { id: 'e1', type: 'TicketStateChanged', detail: { ticketNumber: ticket.number, state: 'closed' } };
    await s.deps.ledger.claim('e1', s.clock.now().toISOString(), new Date(s.clock.now().getTime() + 60_000).toISOString(), 7);

    // Act
    const held = await applyHelpdeskEvent(s.deps, event);
    s.clock.advance(61_000);
    const takenOver = await applyHelpdeskEvent(s.deps, event);

    // Assert
    expect([held.status, takenOver.status]).toEqual(['in-flight', 'applied']);
    expect(s.world.tickets.get(ticket.number)?.state).toBe('closed');
  });

  it('gives the lease back when applying fails, so the retry applies it', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);
    const event: HelpdeskEvent = { id: 'e1', type: 'AgentReplied', detail: { ticketNumber: ticket.number, text: 'Sorry for the wait.' } };
    s.mailer.failures = 1;

    // Act
    const failed = await applyHelpdeskEvent(s.deps, event).catch((e: unknown) => e);
    const retried = await applyHelpdeskEvent(s.deps, event);

    // Assert
    expect(failed).toBeInstanceOf(Error);
    expect(retried).toMatchObject({ status: 'applied', result: { mailed: true } });
  });

  it('sends each kind of event to its use case', async () => {
    // Prepare
    const s = memorySystem();
    const { ticket } = await s.customerWithTicket(ANN);
    const bob = (await s.customerWithTicket('bob@example.org')).ticket;
    const events: HelpdeskEvent[] = [
      { id: 'e1', type: 'LinkRequested', detail: { ticketNumber: ticket.number } },
      { id: 'e2', type: 'SelfServiceLinkRequested', detail: { eventId: 'e2', at: s.clock.now().toISOString(), ticketNumber: bob.number, emailSha256: sha256('bob@example.org') } },
      { id: 'e3', type: 'CustomerStatusChanged', detail: { login: ' Ann@Example.org', disabled: true } },
      { id: 'e4', type: 'TicketStateChanged', detail: { ticketNumber: bob.number, state: 'closed' } },
    ];

    // Act
    const results = [];
    for (const e of events) results.push(await applyHelpdeskEvent(s.deps, e));
    const refused = await applyHelpdeskEvent(s.deps, { id: 'e5', type: 'LinkRequested', detail: { ticketNumber: ticket.number } }).catch((e: unknown) => e);

    // Assert
    expect(results.map((r) => r.status === 'applied' && r.result)).toEqual([
      { sentTo: ANN },
      'link-mailed',
      { tickets: 1, sessionsEnded: 0 },
      expect.objectContaining({ outcome: 'changed', to: 'closed' }),
    ]);
    expect(s.mailer.sent.map((m) => m.to)).toEqual([ANN, 'bob@example.org']);
    expect(refused).toBeInstanceOf(RefusedError);
  });
});
