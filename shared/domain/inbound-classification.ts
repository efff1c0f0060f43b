/**
 * Which inbound mail is worked on at all, decided from the mail and its receipt alone (no I/O).
 * Two stages, because a mail the verdicts drop is never read: nothing of a virus mail is parsed.
 *
 *  1. classifyReceipt: the SES verdicts against the configured thresholds (verdicts.ts).
 *  2. classifyMail: backscatter (reports, null reverse-paths), the single From mailbox, automated
 *     senders and our own addresses → not processed, with the reason; otherwise the accepted
 *     sender, whose customer the mail is (customer headers from outside are never trusted while
 *     spoof protection is on), why it must not be answered (loops, bulk), and its dedup key.
 *
 * docs/inbound-mail.md lists every reason; shared/use-cases/receive-mail.ts acts on the result.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { backscatterReason, checkSender, isAutomatedSender, loopReason, normalizeAddress } from './mail-rules.js';
import { judgeVerdicts, type ReceiptVerdicts } from './verdicts.js';

/** What classification reads of a parsed mail (the MailParser port's ParsedMail has all of it). */
export interface MailFacts {
  fromAddress?: string;
  fromAmbiguous: boolean;
  messageId?: string;
  reportType?: string;
  header(name: string): string | undefined;
}

/** Recorded with its reason; no customer, no ticket, no reply. */
export interface NotProcessed {
  status: 'dropped' | 'rejected' | 'ignored';
  reason: string;
  sender?: string;
}

export interface AcceptedMail {
  status: 'accepted';
  /** The From mailbox, lower-cased, its domain in IDNA form. */
  sender: string;
  /** Whose mail it is: the sender, or (spoof protection off) the customer a customer header names. */
  customerLogin: string;
  /** Customer headers from outside that were present and not read (spoof protection on). */
  ignoredHeaders: string[];
  /** Why it must not be answered automatically (auto-submitted, bulk, list), if so. */
  loop?: string;
  /** The dedup key (deliveryKey): copies and redeliveries of this mail meet on one delivery item. */
  key: string;
}

export type ClassifyConfig = Pick<Config, 'SupportAddress' | 'OwnAddresses' | 'CustomerHeaderSpoofProtection'>;

const SPOOFABLE_HEADERS = ['x-otobo-customeruser', 'x-otobo-customerno', 'x-otrs-customeruser', 'x-otrs-customerno'];

export function classifyReceipt(verdicts: ReceiptVerdicts, rules: Config['Verdicts']): NotProcessed | undefined {
  const verdict = judgeVerdicts(verdicts, rules);
  if (verdict.action === 'accept') return undefined;
  return { status: verdict.action === 'drop' ? 'dropped' : 'rejected', reason: verdict.reason };
}

export function classifyMail(mail: MailFacts, envelope: { deliveryId: string; envelopeSender?: string }, config: ClassifyConfig): NotProcessed | AcceptedMail {
  const ignored = (reason: string, sender?: string): NotProcessed => ({ status: 'ignored', reason, sender });
  const backscatter = backscatterReason({ reportType: mail.reportType, envelopeSender: envelope.envelopeSender, returnPath: mail.header('return-path') });
  if (backscatter) return ignored(backscatter);
  if (mail.fromAmbiguous) return ignored('from-missing-or-ambiguous');
  const checked = checkSender(mail.fromAddress);
  if ('reason' in checked) return ignored(checked.reason);
  const sender = checked.address;
  if (isAutomatedSender(sender, [config.SupportAddress, ...config.OwnAddresses])) return ignored('automated-sender', sender);

  const present = SPOOFABLE_HEADERS.filter((h) => mail.header(h) !== undefined);
  // The add-on overwrites these headers with the real customer; with protection on we never read them at all.
  const trusted = present.length > 0 && !config.CustomerHeaderSpoofProtection;
  const customerLogin = trusted ? (normalizeAddress(mail.header('x-otobo-customeruser') ?? mail.header('x-otrs-customeruser')) ?? sender) : sender;
  const loop = loopReason({
    autoSubmitted: mail.header('auto-submitted'),
    precedence: mail.header('precedence'),
    listId: mail.header('list-id'),
    listUnsubscribe: mail.header('list-unsubscribe'),
    autoResponseSuppress: mail.header('x-auto-response-suppress'),
  });
  return { status: 'accepted', sender, customerLogin, ignoredHeaders: trusted ? [] : present, loop, key: deliveryKey(sender, mail.messageId, envelope.deliveryId) };
}

/** The key of a delivery known by its SES id alone: judged before it was parsed, or a mail without a Message-ID. */
export function sesDeliveryKey(deliveryId: string): string {
  return `ses:${deliveryId}`;
}

/**
 * The same mail (same sender, same Message-ID) always has the same key, whatever SES id it came
 * under; a mail without a Message-ID is known by its SES id alone. The sender is part of the key,
 * so nobody can block someone else's mail by reusing its Message-ID.
 */
export function deliveryKey(sender: string, messageId: string | undefined, deliveryId: string): string {
  return messageId ? `msg:${createHash('sha256').update(`${sender}\n${messageId}`).digest('base64url')}` : sesDeliveryKey(deliveryId);
}
