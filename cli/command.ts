/**
 * What every command gets and may throw. Exit codes are part of the public surface
 * (docs/operations.md, 'Ops CLI').
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RepositoryPorts } from '../shared/deps.js';
import { OtaError } from '../shared/errors.js';
import type { RawMailArchive } from '../shared/ports/mail.js';

/** The functions the CLI can invoke: locally the stack's own handlers, in AWS the deployed ones. */
export type FunctionName = 'inbound-mail' | 'helpdesk-events' | 'sweep';

export type InvokeResult = { ok: true; result: unknown } | { ok: false; errorType: string; errorMessage: string };

/** 1 also covers an unexpected failure (Node's own code for an uncaught error); stderr tells which. */
export const EXIT = { ok: 0, notFound: 1, failed: 1, usage: 2, unreachable: 3, refused: 4 } as const;

export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** The clock for derived states (token expiry); tests pass a fixed one. */
  now?: () => Date;
}

/** Options any command may accept; each command lists the ones that apply to it. */
export interface Options {
  json?: boolean;
  customer?: string;
  state?: string;
  stuck?: boolean;
  into?: string;
  text?: string;
  from?: string;
  now?: string;
}

export interface Target {
  /** `source` the system accepts helpdesk events from (HelpdeskEventSource). */
  helpdeskSource: string;
  kind: 'local' | 'aws';
  table: string;
  /** Where requests go, for messages: an endpoint URL locally, "AWS" otherwise. */
  where: string;
  db: DynamoDBDocumentClient;
  /** The same repository ports the functions use, over this target's table. */
  repos: RepositoryPorts;
  /** The raw mail the SES receipt rule stored. */
  archive(): Promise<RawMailArchive>;
  /** Runs a function with an event and waits for its answer (Lambda RequestResponse). */
  invoke(fn: FunctionName, payload: unknown): Promise<InvokeResult>;
  close(): void;
}

export interface CommandContext {
  target: Target;
  options: Options;
  /** Positional arguments after the command words. */
  args: string[];
  now(): Date;
  print(text: string): void;
  printJson(value: unknown): void;
}

export interface Command {
  /** The command words, e.g. ['ticket', 'show']. */
  words: string[];
  /** Positional arguments, in usage notation: ['<number>']. */
  args: string[];
  options: (keyof Options)[];
  summary: string;
  run(ctx: CommandContext): Promise<void>;
}

/** The command line is wrong: exit 2 with a hint to the usage text. */
export class UsageError extends OtaError {}

/** The thing asked for does not exist: exit 1. */
export class NotFoundError extends OtaError {}

/** The target cannot be reached or used (network, missing table, credentials): exit 3. */
export class TargetError extends OtaError {}

/** The system refused what was asked, for a reason a person can act on (a disabled customer…): exit 4. */
export class RefusedError extends OtaError {}
