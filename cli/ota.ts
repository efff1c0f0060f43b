/**
 * Ops CLI entry: `npm run ota -- <command>`. Parses the command line, picks the target, runs one
 * command and turns what went wrong into a message and an exit code (command.ts: EXIT).
 * `run` is the whole CLI without the process, so tests call it in-process.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { EXIT, NotFoundError, RefusedError, TargetError, UsageError, type Command, type Io, type Options, type Target } from './command.js';
import { customerCommands } from './commands/customer.js';
import { deliveryCommands } from './commands/delivery.js';
import { linkCommands, sweepCommands } from './commands/link.js';
import { ticketCommands } from './commands/ticket.js';
import { json } from './format.js';
import { resolveTarget, targetProblem } from './target.js';
import { commandUsage, usage } from './usage.js';

export const COMMANDS: Command[] = [...customerCommands, ...ticketCommands, ...linkCommands, ...deliveryCommands, ...sweepCommands];

const PARSE_OPTIONS = {
  json: { type: 'boolean' },
  customer: { type: 'string' },
  state: { type: 'string' },
  stuck: { type: 'boolean' },
  into: { type: 'string' },
  text: { type: 'string' },
  from: { type: 'string' },
  now: { type: 'string' },
  aws: { type: 'boolean' },
  table: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMAND_OPTIONS: (keyof Options)[] = ['json', 'customer', 'state', 'stuck', 'into', 'text', 'from', 'now'];
const HINT = 'Run `npm run ota -- help` for usage.';

export async function run(argv: string[], io: Io): Promise<number> {
  let target: Target | undefined;
  try {
    const { values, positionals } = parse(argv);
    if (values.help || positionals.length === 0 || positionals[0] === 'help') {
      io.stdout.write(usage(COMMANDS));
      return EXIT.ok;
    }
    const command = findCommand(positionals);
    const args = positionals.slice(command.words.length);
    checkArguments(command, args, values);
    target = resolveTarget({ aws: values.aws, table: values.table }, io.env);
    await command.run({
      target,
      options: { json: values.json, customer: values.customer, state: values.state, stuck: values.stuck, into: values.into, text: values.text, from: values.from, now: values.now },
      args,
      now: io.now ?? (() => new Date()),
      print: (text) => io.stdout.write(`${text}\n`),
      printJson: (value) => io.stdout.write(`${json(value)}\n`),
    });
    return EXIT.ok;
  } catch (e) {
    return report(e, target, io);
  } finally {
    target?.close();
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: PARSE_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    // Node's parseArgs errors carry ERR_PARSE_ARGS_* codes; the first sentence names the problem.
    if (String((e as { code?: string }).code).startsWith('ERR_PARSE_ARGS')) throw new UsageError((e as Error).message.split('. ')[0] ?? 'Bad option');
    throw e;
  }
}

function findCommand(positionals: string[]): Command {
  const [group, verb] = positionals;
  // One-word commands (`sweep`) take their arguments right after the word.
  const command = COMMANDS.find((c) => c.words[0] === group && (c.words.length === 1 || c.words[1] === verb));
  if (command) return command;
  const inGroup = COMMANDS.filter((c) => c.words[0] === group).map((c) => c.words.join(' '));
  if (inGroup.length === 0) throw new UsageError(`Unknown command "${positionals.join(' ')}"; commands: ${[...new Set(COMMANDS.map((c) => c.words[0]))].join(', ')}, help`);
  throw new UsageError(verb === undefined ? `"${group}" needs a subcommand: ${inGroup.join(', ')}` : `Unknown command "${group} ${verb}"; try ${inGroup.join(', ')}`);
}

function checkArguments(command: Command, args: string[], values: Partial<Record<keyof Options, unknown>>): void {
  const name = command.words.join(' ');
  if (args.length < command.args.length) throw new UsageError(`"${name}" needs ${command.args.slice(args.length).join(' ')}: ${commandUsage(command)}`);
  if (args.length > command.args.length) throw new UsageError(`"${name}" takes ${command.args.length ? command.args.join(' ') : 'no arguments'}; unexpected "${args.slice(command.args.length).join(' ')}"`);
  if (args.some((a) => a.trim() === '')) throw new UsageError(`"${name}" needs a non-empty ${command.args.join(' ')}`);
  const misplaced = COMMAND_OPTIONS.filter((o) => values[o] !== undefined && !command.options.includes(o));
  if (misplaced.length) throw new UsageError(`--${misplaced[0]} does not apply to "${name}": ${commandUsage(command)}`);
}

function report(e: unknown, target: Target | undefined, io: Io): number {
  const error = (target && targetProblem(e, target)) || e;
  if (error instanceof UsageError) {
    io.stderr.write(`${error.message}\n${HINT}\n`);
    return EXIT.usage;
  }
  if (error instanceof NotFoundError) {
    io.stderr.write(`${error.message}\n`);
    return EXIT.notFound;
  }
  if (error instanceof TargetError) {
    io.stderr.write(`${error.message}\n`);
    return EXIT.unreachable;
  }
  if (error instanceof RefusedError) {
    io.stderr.write(`${error.message}\n`);
    return EXIT.refused;
  }
  const { name, message } = error as Error;
  io.stderr.write(`Unexpected error${target ? ` talking to ${target.where} (table ${target.table})` : ''}: ${name}: ${message}\n`);
  return EXIT.failed;
}

function isMainModule(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

/** The CLI as a process: arguments from argv, output to the terminal, the exit code set. */
export async function main(): Promise<void> {
  process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
}

if (isMainModule()) await main();
