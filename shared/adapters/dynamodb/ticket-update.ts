/**
 * A ticket patch under a guard (ports/tickets.ts) as one DynamoDB UpdateItem. Every condition the
 * system puts on a ticket is written out here, with why it exists; the index attributes of a state
 * change come from indexes.ts. Conditions all start from `attribute_exists(pk)`: an update never
 * creates a ticket.
 */
import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { GONE_STATES } from '../../domain/model.js';
import type { TicketGuard, TicketPatch } from '../../ports/tickets.js';
import { CLOSED_TICKET_ATTRIBUTES, closedTicketAttributes } from './indexes.js';

type UpdateParts = Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;

class Builder {
  readonly set: string[] = [];
  readonly remove: string[] = [];
  readonly add: string[] = [];
  readonly conditions: string[] = ['attribute_exists(pk)'];
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};

  name(attribute: string): string {
    const placeholder = `#${attribute.replace(/\W/g, '_')}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }

  value(key: string, value: unknown): string {
    const placeholder = `:${key}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  build(): UpdateParts {
    const clauses = [
      this.set.length ? `SET ${this.set.join(', ')}` : '',
      this.remove.length ? `REMOVE ${this.remove.join(', ')}` : '',
      this.add.length ? `ADD ${this.add.join(', ')}` : '',
    ].filter(Boolean);
    return {
      UpdateExpression: clauses.join(' '),
      ConditionExpression: this.conditions.join(' AND '),
      ExpressionAttributeNames: Object.keys(this.names).length ? this.names : undefined,
      ExpressionAttributeValues: Object.keys(this.values).length ? this.values : undefined,
    };
  }
}

export function ticketUpdate(number: string, patch: TicketPatch, guard: TicketGuard): UpdateParts {
  const b = new Builder();
  b.set.push(`updatedAt = ${b.value('updatedAt', patch.updatedAt)}`);
  // Registered only when used: DynamoDB refuses unused attribute names.
  const token = () => b.name('activeToken');
  const code = () => b.name('activeCode');

  if (patch.change) {
    const { change } = patch;
    b.set.push(`${b.name('state')} = ${b.value('state', change.state)}`);
    if (change.closedAt) {
      b.set.push(`closedAt = ${b.value('closedAt', change.closedAt)}`);
      // A closed ticket enters the sweep's index; the index module says which attributes that is.
      for (const [attribute, value] of Object.entries(closedTicketAttributes(number, change.closedAt))) b.set.push(`${b.name(attribute)} = ${b.value(attribute, value)}`);
    } else {
      b.remove.push('closedAt', ...CLOSED_TICKET_ATTRIBUTES.map((a) => b.name(a)));
    }
    if (change.mergedInto) b.set.push(`mergedInto = ${b.value('mergedInto', change.mergedInto)}`);
    else b.remove.push('mergedInto');
    // A patch that replaces or spends the pointer makes the old pointer's expiry moot.
    if (change.activeTokenExpiresAt && patch.activeToken === undefined && !patch.spend) {
      // The pointer's expiry is a path inside the pointer: only valid while the pointer the plan saw is there.
      if (typeof guard.activeTokenHash !== 'string') throw new Error('A change of the token expiry must guard the active token hash it was planned from');
      b.set.push(`${token()}.expiresAt = ${b.value('tokenExpiresAt', change.activeTokenExpiresAt)}`);
    }
  }
  if (patch.activeToken) b.set.push(`${token()} = ${b.value('activeToken', patch.activeToken)}`);
  if (patch.activeToken === null && !patch.spend) b.remove.push(token());
  if (patch.spend) {
    b.remove.push(token());
    b.set.push(`lastSpentAt = ${b.value('spentAt', patch.spend.at)}`, `lastSpentHash = ${b.value('spentHash1', patch.spend.hash)}`);
    b.add.push(`spentTokens ${b.value('spentHash', new Set([patch.spend.hash]))}`);
    // Only this click's browser may follow it in (a double-click); another spend forgets the last one's nonce.
    if (patch.spend.nonce) b.set.push(`lastSpentNonce = ${b.value('spentNonce', patch.spend.nonce)}`);
    else b.remove.push('lastSpentNonce');
  }
  // The code moves with its token (a newer mail supersedes both) but is spent on its own.
  if (patch.activeCode) b.set.push(`${code()} = ${b.value('activeCode', patch.activeCode)}`);
  if (patch.activeCode === null || patch.spendCode) b.remove.push(code());
  if (patch.refreshedAt) b.set.push(`refreshedAt = ${b.value('refreshedAt', patch.refreshedAt)}`);
  if (patch.lastMessageId) {
    b.set.push(`lastMessageId = ${b.value('lastMessageId', patch.lastMessageId)}`, `firstMessageId = if_not_exists(firstMessageId, ${b.value('lastMessageId', patch.lastMessageId)})`);
  }
  if (patch.customerDisabled === true) b.set.push(`customerDisabled = ${b.value('true', true)}`);
  if (patch.customerDisabled === false) b.remove.push('customerDisabled');
  if (patch.leaveSweepIndex) b.remove.push(...CLOSED_TICKET_ATTRIBUTES.map((a) => b.name(a)));
  if (patch.pendingReopenEvent) b.set.push(`pendingReopenEvent = ${b.value('pendingReopenEvent', patch.pendingReopenEvent)}`);
  if (patch.pendingReopenEvent === null) b.remove.push('pendingReopenEvent');

  // Nothing ever lands on someone else's ticket (a follow-up, a portal reply, a minted link).
  if (guard.customerLogin !== undefined) b.conditions.push(`customerLogin = ${b.value('login', guard.customerLogin)}`);
  // A lifecycle change was planned from the state the caller read; another change since means re-plan.
  if (guard.state !== undefined) b.conditions.push(`${b.name('state')} = ${b.value('seenState', guard.state)}`);
  // At most one active token (docs/architecture.md, 'One active token per ticket'): the pointer
  // moves only from the value the caller read, so two minters cannot both believe theirs is
  // active, and of N concurrent spends exactly one wins.
  if (guard.activeTokenHash === null) b.conditions.push(`attribute_not_exists(${token()})`);
  else if (guard.activeTokenHash !== undefined) b.conditions.push(`${token()}.${b.name('hash')} = ${b.value('seenHash', guard.activeTokenHash)}`);
  // TTL deletes late: an expired pointer must not open anything.
  if (guard.activeTokenValidAt !== undefined) b.conditions.push(`${token()}.expiresAt > ${b.value('validAt', guard.activeTokenValidAt)}`);
  // A code opens its ticket once: of concurrent sign-ins with it exactly one removes the pointer.
  if (guard.activeCodeHash === null) b.conditions.push(`attribute_not_exists(${code()})`);
  else if (guard.activeCodeHash !== undefined) b.conditions.push(`${code()}.${b.name('hash')} = ${b.value('seenCodeHash', guard.activeCodeHash)}`);
  // A code expires with its mail's link (TokenMaxAgeDays), whatever is left on the ticket.
  if (guard.activeCodeValidAt !== undefined) b.conditions.push(`${code()}.expiresAt > ${b.value('codeValidAt', guard.activeCodeValidAt)}`);
  // Merged and removed tickets open nothing: their links answer LinkExpired.
  if (guard.notGone) b.conditions.push(`NOT (${b.name('state')} IN (${GONE_STATES.map((s, i) => b.value(`gone${i}`, s)).join(', ')}))`);
  // A closed ticket is reachable for AccessDaysAfterClose days after closing, then never again.
  if (guard.openOrClosedAfter !== undefined) b.conditions.push(`(attribute_not_exists(closedAt) OR closedAt > ${b.value('windowStart', guard.openOrClosedAfter)})`);
  // Disabling a customer ends their links at once, including a link minted concurrently.
  if (guard.customerEnabled) b.conditions.push('attribute_not_exists(customerDisabled)');
  // At most one refresh mail per RefreshMinIntervalMinutes, however many clicks arrive at once.
  if (guard.refreshedNotAfter !== undefined) b.conditions.push(`(attribute_not_exists(refreshedAt) OR refreshedAt <= ${b.value('refreshCutoff', guard.refreshedNotAfter)})`);
  // The sweep only unindexes the close it saw: a reopen and a new close since starts a new window.
  if (guard.closedAt !== undefined) b.conditions.push(`closedAt = ${b.value('seenClosedAt', guard.closedAt)}`);
  return b.build();
}
