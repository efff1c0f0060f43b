/** Key builders: the only place that knows how items are addressed (docs/data-model.md). */
export type Key = { pk: string; sk: string };

export const keys = {
  customer: (login: string): Key => ({ pk: `CUSTOMER#${login}`, sk: 'CUSTOMER' }),
  ticket: (number: string): Key => ({ pk: `TICKET#${number}`, sk: 'TICKET' }),
  article: (number: string, articleId: string): Key => ({ pk: `TICKET#${number}`, sk: `ARTICLE#${articleId}` }),
  /** Tokens live in their ticket's partition: the sweep finds them with one Query per ticket. */
  token: (number: string, hash: string): Key => ({ pk: `TICKET#${number}`, sk: `TOKEN#${hash}` }),
  delivery: (deliveryId: string): Key => ({ pk: `DELIVERY#${deliveryId}`, sk: 'DELIVERY' }),
  messageId: (messageId: string): Key => ({ pk: `MSGID#${messageId}`, sk: 'MSGID' }),
  ticketCounter: (day: string): Key => ({ pk: `COUNTER#TICKET#${day}`, sk: 'COUNTER' }),
  autoReplies: (sender: string, day: string): Key => ({ pk: `AUTOREPLY#${sender}#${day}`, sk: 'AUTOREPLY' }),
};

export const PREFIX = { article: 'ARTICLE#', token: 'TOKEN#' } as const;

export const INDEX_VALUES = {
  customerTickets: (login: string) => `CUSTOMER#${login}`,
  ticketsType: 'TICKET',
  customersType: 'CUSTOMER',
} as const;

/** Message-IDs SES assigns to what we send, recorded so that replies to them thread. */
export const sesMessageId = (providerId: string) => `ses:${providerId.toLowerCase()}`;

export function epochSeconds(iso: string | Date): number {
  return Math.floor(new Date(iso).getTime() / 1000);
}
