/** The usage text, built from the command table so the two never disagree. */
import type { Command, Options } from './command.js';
import { TABLE_HINT } from './target.js';

const OPTION_HELP: Record<keyof Options, string> = {
  json: '--json               machine-readable JSON on stdout (an array for list, an object for show)',
  customer: '--customer <login>   only this customer\'s tickets',
  state: '--state <state>      only tickets in this state: new, open, pending, closed, merged, removed',
  stuck: '--stuck              only mail that will not be answered unless someone acts (see delivery list)',
  into: '--into <number>      the ticket a merged ticket lives on in',
  text: '--text <text>        the reply, mailed to the customer with a fresh link',
  from: '--from <name>        who the reply is from, as the customer should see it',
  now: '--now <ISO time>      sweep as of this moment (default: now)',
};

const OPTION_USAGE: Record<keyof Options, string> = {
  json: '[--json]',
  customer: '[--customer <login>]',
  state: '[--state <state>]',
  stuck: '[--stuck]',
  into: '--into <number>',
  text: '--text <text>',
  from: '[--from <name>]',
  now: '[--now <ISO time>]',
};

export function commandUsage(c: Command): string {
  return ['npm run ota --', ...c.words, ...c.args, ...c.options.map((o) => OPTION_USAGE[o])].join(' ');
}

export function usage(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => [...c.words, ...c.args].join(' ').length));
  const lines = commands.map((c) => `  ${[...c.words, ...c.args].join(' ').padEnd(width)}  ${c.summary}`);
  const options = (Object.keys(OPTION_HELP) as (keyof Options)[]).map((o) => `  ${OPTION_HELP[o]}`);
  return `Ops CLI for one-time authentication links.

Usage: npm run ota -- <command> [options]

Commands:
${lines.join('\n')}
  help${' '.repeat(Math.max(0, width - 4))}  This text (also --help, -h, or no command).

Options:
${options.join('\n')}
  --aws                the deployed stack instead of the local one (also OTA_TARGET=aws)
  --table <name>       the DynamoDB table (also OTA_TABLE_NAME)
  -h, --help           this text

Target:
  Local (default): the stack \`npm start\` runs, found through the addresses it records in
    $OTA_DATA_DIR/stack.json (.local/ unless set) while it runs; ports set in the environment
    (OTA_DYNAMODB_PORT, OTA_S3_PORT, OTA_LAMBDA_PORT) win, and without a record the defaults
    (8000, 4569, 8011) apply. Table ota-local (or OTA_TABLE_NAME / --table).
  AWS (--aws or OTA_TARGET=aws): the default AWS credential chain (AWS_PROFILE, AWS_REGION, …)
    and the table from --table or OTA_TABLE_NAME;
    ${TABLE_HINT}.

Exit codes:
  0 ok   1 not found or failed   2 usage error   3 cannot reach or use the target (DynamoDB, table, credentials)
  4 refused (e.g. no link for a disabled customer or a ticket beyond its window)

Examples:
  npm run ota -- customer show alice@example.com
  npm run ota -- ticket list --state open --json
  npm run ota -- --aws --table OtaStateful-Table1234 ticket show 20261125000001
`;
}
