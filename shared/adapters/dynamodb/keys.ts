/** Key builders: the only place that knows how items are addressed (docs/data-model.md). */
export type Key = { pk: string; sk: string };

export const PREFIX = { article: 'ARTICLE#', audit: 'AUDIT#', opens: 'OPENS#', text: 'TEXT#', token: 'TOKEN#' } as const;

export const keys = {
  customer: (login: string): Key => ({ pk: `CUSTOMER#${login}`, sk: 'CUSTOMER' }),
  ticket: (number: string): Key => ({ pk: `TICKET#${number}`, sk: 'TICKET' }),
  article: (number: string, articleId: string): Key => ({ pk: `TICKET#${number}`, sk: `${PREFIX.article}${articleId}` }),
  /** Access-trail entries: a ticket page reads the newest of them with one Query of their own. */
  audit: (number: string, at: string, id: string): Key => ({ pk: `TICKET#${number}`, sk: `${PREFIX.audit}${at}#${id}` }),
  /** Counted opens of one link in one interval (domain/trail.ts): kept apart, so no number of opens hides an AUDIT# entry. */
  opens: (number: string, interval: string, link: string): Key => ({ pk: `TICKET#${number}`, sk: `${PREFIX.opens}${interval}#${link}` }),
  /** The whole text of an article whose item holds only its preview: read only when the whole is asked for. */
  articleText: (number: string, articleId: string): Key => ({ pk: `TICKET#${number}`, sk: `${PREFIX.text}${articleId}` }),
  /** Tokens live in their ticket's partition, after the ticket: the sweep finds them with one Query, the portal never reads them. */
  token: (number: string, hash: string): Key => ({ pk: `TICKET#${number}`, sk: `${PREFIX.token}${hash}` }),
  session: (idHash: string): Key => ({ pk: `SESSION#${idHash}`, sk: 'SESSION' }),
  delivery: (deliveryKey: string): Key => ({ pk: `DELIVERY#${deliveryKey}`, sk: 'DELIVERY' }),
  messageId: (messageId: string): Key => ({ pk: `MSGID#${messageId}`, sk: 'MSGID' }),
  ticketCounter: (day: string): Key => ({ pk: `COUNTER#TICKET#${day}`, sk: 'COUNTER' }),
  limit: (bucket: string): Key => ({ pk: `LIMIT#${bucket}`, sk: 'LIMIT' }),
  event: (eventId: string): Key => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' }),
  /** One partition holds the few events not yet published; each leaves it once the bus took it. */
  outbox: (at: string, eventId: string): Key => ({ pk: 'OUTBOX', sk: `${at}#${eventId}` }),
};

/** Message-IDs SES assigns to what we send, recorded so that replies to them thread. */
export const sesMessageId = (providerId: string) => `ses:${providerId.toLowerCase()}`;

export function epochSeconds(iso: string | Date): number {
  return Math.floor(new Date(iso).getTime() / 1000);
}
