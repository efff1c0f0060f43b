/**
 * Commands that change something run the system's own handler: they invoke the helpdesk-events
 * (or sweep) function with the event the bus would deliver, and turn its answer into output or
 * an exit code. Locally the stack's Lambda API runs the handler; in AWS the deployed function does.
 */
import { randomUUID } from 'node:crypto';
import type { HelpdeskDetail, HelpdeskDetailType } from '../shared/events/helpdesk.js';
import { NotFoundError, RefusedError, TargetError, UsageError, type CommandContext, type FunctionName } from './command.js';

/** Invokes a function and returns its answer, or throws the CLI error its failure means. */
export async function invokeFunction(ctx: CommandContext, fn: FunctionName, payload: unknown): Promise<unknown> {
  const answer = await ctx.target.invoke(fn, payload);
  if (answer.ok) return answer.result;
  if (answer.errorType === 'NotFoundError') throw new NotFoundError(answer.errorMessage);
  if (answer.errorType === 'RefusedError') throw new RefusedError(answer.errorMessage);
  if (answer.errorType === 'MalformedEventError') throw new UsageError(answer.errorMessage);
  throw new TargetError(`The ${fn} function failed: ${answer.errorType}: ${answer.errorMessage}`);
}

/** The helpdesk event the bus would deliver, applied by the helpdesk-events function. */
export async function sendHelpdeskEvent<T extends HelpdeskDetailType>(ctx: CommandContext, type: T, detail: HelpdeskDetail<T>): Promise<{ status: string; result?: unknown }> {
  const event = { version: '0', id: `cli-${randomUUID()}`, source: ctx.target.helpdeskSource, 'detail-type': type, time: ctx.now().toISOString(), detail };
  return (await invokeFunction(ctx, 'helpdesk-events', event)) as { status: string; result?: unknown };
}
