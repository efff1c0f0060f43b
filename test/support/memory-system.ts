/**
 * The unit tier's system: every port in memory (memory.ts, held to the DynamoDB adapters'
 * conditions by test/integration/ports.contract.test.ts), a fake clock, a mailer and a bus that
 * record, and a logger and metrics that record. `deps` fits every use case's deps, as the functions'
 * factories' objects do. State is seeded the way the system makes it: a customer and ticket as the
 * inbound path writes them, a link through issue-link, the way every link is made.
 */
import { parseConfig } from '../../shared/config.js';
import type { Customer, Ticket } from '../../shared/domain/model.js';
import { OpenTally } from '../../shared/domain/open-tally.js';
import { randomBytes } from 'node:crypto';
import { staticCodeKey } from '../../shared/code-key.js';
import { cryptoRandom } from '../../shared/system.js';
import { issueLink } from '../../shared/use-cases/issue-link.js';
import { redeemLink } from '../../shared/use-cases/redeem-link.js';
import { signInWithCode } from '../../shared/use-cases/sign-in-with-code.js';
import { FakeClock, RecordingLogger, RecordingMetrics } from '../../harness/fakes.js';
import { codeIn } from '../../harness/inbound.js';
import { MemoryFiles, MemoryMailer, MemoryPublisher, MemoryRawMail, memoryRepositories } from './memory.js';

export const UNIT_CONFIG = { PortalUrl: 'https://portal.example.com', SupportAddress: 'support@example.com' };
const LINK = /\/link\/(\d+)\/([A-Za-z0-9_-]{43})/;

export function memorySystem(configOverride: Record<string, unknown> = {}) {
  const repos = memoryRepositories();
  const mailer = new MemoryMailer();
  const publisher = new MemoryPublisher();
  const clock = new FakeClock();
  const metrics = new RecordingMetrics();
  const logger = new RecordingLogger();
  const files = new MemoryFiles();
  const codeKey = staticCodeKey(randomBytes(32));
  const deps = {
    config: parseConfig({ ...UNIT_CONFIG, ...configOverride }),
    clock,
    random: cryptoRandom,
    codeKey,
    logger,
    metrics,
    mailer,
    publisher,
    rawMail: new MemoryRawMail(),
    opens: new OpenTally(),
    fileStore: files.store,
    fileLinks: files.links,
    helpdeskFiles: files.helpdesk,
    ...repos,
  };
  const world = repos.world;

  /** A customer (lower-cased login, as the inbound path makes one) and a new open ticket of theirs. */
  async function customerWithTicket(login: string, over: Partial<Ticket> = {}, customerOver: Partial<Customer> = {}) {
    const now = clock.now().toISOString();
    const customer: Customer = world.customers.get(login) ?? { login, customerId: login, email: login, language: 'en', disabled: false, source: 'mail', failedLogins: 0, createdAt: now, ...customerOver };
    world.customers.set(login, customer);
    const number = await repos.tickets.nextNumber(clock.now());
    const ticket: Ticket = { number, customerLogin: login, title: `Ticket of ${login}`, state: 'open', createdAt: now, updatedAt: now, autoCreatedCustomer: true, language: customer.language, ...over };
    world.tickets.set(number, structuredClone(ticket));
    return { customer, ticket };
  }

  /** The raw link of the newest mail to `to`: what the customer clicks. */
  function linkTo(to: string) {
    const mail = mailer.sent.filter((m) => m.to === to).at(-1);
    const m = LINK.exec(mail?.text ?? '');
    if (!m?.[1] || !m[2]) throw new Error(`no link in the newest mail to ${to}`);
    return { ticketNumber: m[1], token: m[2], code: codeIn(mail?.text), mail: mail! };
  }

  /** A customer with a ticket and a link mailed to them (the auto-reply), through issue-link. */
  async function customerWithLink(login: string, over: Partial<Ticket> = {}) {
    const { customer, ticket } = await customerWithTicket(login, over);
    const outcome = await issueLink(deps, { ticket, customer, purpose: 'auto-reply', mail: { template: 'AutoReply' } });
    if (!outcome.issued) throw new Error(`no link issued for ${login}: ${outcome.reason}`);
    const { token, code } = linkTo(login);
    return { customer, ticket: world.tickets.get(ticket.number)!, token, code };
  }

  /** A customer with a ticket, signed in through its link (redeem-link): the session and the id only the cookie holds. */
  async function signedIn(login: string) {
    const { ticket, token } = await customerWithLink(login);
    const outcome = await redeemLink(deps, { ticketNumber: ticket.number, token });
    if (!outcome.redeemed) throw new Error(`${login} not signed in: ${outcome.reason}`);
    return { ticket, sessionId: outcome.sessionId, session: outcome.session };
  }

  /** Signs in with a mail's code (sign-in-with-code), so that neither the link nor the code of that mail is left. */
  async function useCode(ticketNumber: string, code: string) {
    const outcome = await signInWithCode(deps, { ticketNumber, code, sourceIp: '192.0.2.1', requestId: `use-code-${Math.random()}` });
    if (!outcome.signedIn) throw new Error(`code of ${ticketNumber} not used: ${outcome.reason}`);
    return outcome;
  }

  return { deps, world, files, mailer, publisher, clock, metrics, logger, customerWithTicket, customerWithLink, signedIn, linkTo, useCode };
}

export type MemorySystem = ReturnType<typeof memorySystem>;
