/**
 * Rules and targets of the local bus over the EventBridge API — PutRule (event patterns),
 * PutTargets, DescribeRule, ListRules, ListTargetsByRule, RemoveTargets, DeleteRule,
 * ListEventBuses, DescribeEventBus — so a helpdesk developer subscribes locally as they will in
 * AWS. A target is an HTTP endpoint on this machine, like an API destination: the event envelope
 * POSTed as JSON. The stack's own rules are wired in code (`subscribe`) and listed as managed by
 * the stack, so the API cannot change them (EventBridge's ManagedRuleException). Rules live as
 * long as the stack runs; nothing is kept across a restart.
 */
import { ClientError } from './aws-json.js';
import { InvalidPatternError, matchesPattern, parsePattern, type EventPattern } from './event-pattern.js';

/** What a rule's target receives. */
export interface Envelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export type Deliver = (event: Envelope) => Promise<unknown>;

interface Target {
  id: string;
  arn: string;
  call: Deliver;
}

interface Rule {
  name: string;
  bus: string;
  pattern: EventPattern;
  state: string;
  description?: string;
  managedBy?: string;
  targets: Target[];
}

type Input = Record<string, unknown>;
type FailedEntry = { TargetId: string; ErrorCode: string; ErrorMessage: string };

export const ACCOUNT = '000000000000';
const MANAGED_BY = 'ota-local-stack';
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const STATES = new Set(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']);
const MAX_TARGETS_PER_RULE = 5;
/** API destinations give an endpoint 5 seconds to answer. */
const HTTP_TIMEOUT_MS = 5_000;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** EventBusName may be a name or an ARN (`arn:aws:events:region:account:event-bus/name`); none is `default`. */
export function busName(value: unknown): string {
  if (typeof value !== 'string' || value === '') return 'default';
  return value.startsWith('arn:') ? value.slice(value.indexOf('/') + 1) : value;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** POSTs the envelope as JSON; anything but a 2xx answer within the time limit is a failed delivery. */
function httpTarget(url: string): Deliver {
  return async (event) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(event), signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`the endpoint answered ${res.status}`);
  };
}

/** Why a target cannot be served locally, or undefined when it can. */
function targetProblem(t: Input): string | undefined {
  if (t.Input !== undefined || t.InputPath !== undefined || t.InputTransformer !== undefined) {
    return 'Input, InputPath and InputTransformer are not supported by the local event bus: a target receives the whole event';
  }
  let url: URL | undefined;
  try {
    url = new URL(str(t.Arn));
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || !LOCAL_HOSTS.has(url.hostname)) {
    return `The local event bus delivers to an http(s) URL on this machine (127.0.0.1, localhost or [::1]), like an API destination; got "${str(t.Arn)}"`;
  }
  return undefined;
}

export class RuleBook {
  private readonly rules = new Map<string, Rule>();

  constructor(readonly buses: ReadonlySet<string>) {}

  requireBus(name: string): void {
    if (!this.buses.has(name)) throw new ClientError('ResourceNotFoundException', `Event bus ${name} does not exist. This local stack has: ${[...this.buses].join(', ')}.`);
  }

  /** A rule the stack wires itself; the API lists it but may not change it. */
  subscribe(name: string, bus: string, pattern: EventPattern, targetArn: string, call: Deliver): void {
    if (!this.buses.has(bus)) throw new Error(`Rule ${name}: event bus ${bus} does not exist`);
    if (this.rules.has(`${bus}/${name}`)) throw new Error(`Rule ${name} exists already on bus ${bus}`);
    this.rules.set(`${bus}/${name}`, { name, bus, pattern, state: 'ENABLED', managedBy: MANAGED_BY, targets: [{ id: 'stack', arn: targetArn, call }] });
  }

  /** The targets of the enabled rules on `bus` whose pattern matches. */
  matching(bus: string, event: Envelope): { rule: string; target: Target }[] {
    return [...this.rules.values()]
      .filter((r) => r.bus === bus && r.state !== 'DISABLED' && matchesPattern(r.pattern, event))
      .flatMap((r) => r.targets.map((target) => ({ rule: r.name, target })));
  }

  /** The API operations by their X-Amz-Target name; each takes the request body and the signed region. */
  readonly operations: Record<string, (input: Input, region: string) => unknown> = {
    PutRule: (input, region) => {
      const name = str(input.Name);
      if (!RULE_NAME.test(name)) throw new ClientError('ValidationException', "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ (1-64 characters)");
      const bus = busName(input.EventBusName);
      this.requireBus(bus);
      if (input.ScheduleExpression !== undefined) throw new ClientError('ValidationException', 'ScheduleExpression is not supported by the local event bus: the stack runs its own schedules.');
      if (typeof input.EventPattern !== 'string') throw new ClientError('ValidationException', 'Parameter EventPattern is required: rules of the local event bus match event patterns.');
      const state = input.State === undefined ? 'ENABLED' : str(input.State);
      if (!STATES.has(state)) throw new ClientError('ValidationException', `State must be one of ${[...STATES].join(', ')}.`);
      let pattern: EventPattern;
      try {
        pattern = parsePattern(input.EventPattern);
      } catch (e) {
        if (e instanceof InvalidPatternError) throw new ClientError('InvalidEventPatternException', e.message);
        throw e;
      }
      const existing = this.rules.get(`${bus}/${name}`);
      this.refuseManaged(existing);
      const description = typeof input.Description === 'string' ? input.Description : undefined;
      this.rules.set(`${bus}/${name}`, { name, bus, pattern, state, description, targets: existing?.targets ?? [] });
      return { RuleArn: this.ruleArn(region, bus, name) };
    },
    DescribeRule: (input, region) => this.describe(this.rule(input.Name, input.EventBusName), region),
    ListRules: (input, region) => {
      const bus = busName(input.EventBusName);
      this.requireBus(bus);
      const rules = [...this.rules.values()].filter((r) => r.bus === bus && r.name.startsWith(str(input.NamePrefix)));
      return { Rules: rules.map((r) => this.describe(r, region)) };
    },
    DeleteRule: (input) => {
      const bus = busName(input.EventBusName);
      this.requireBus(bus);
      const rule = this.rules.get(`${bus}/${str(input.Name)}`);
      if (!rule) return {};
      this.refuseManaged(rule);
      if (rule.targets.length > 0) throw new ClientError('ValidationException', "Rule can't be deleted since it has targets.");
      this.rules.delete(`${bus}/${rule.name}`);
      return {};
    },
    PutTargets: (input) => {
      const rule = this.rule(input.Rule, input.EventBusName);
      this.refuseManaged(rule);
      const targets = Array.isArray(input.Targets) ? (input.Targets as unknown[]).map((t) => (typeof t === 'object' && t !== null ? (t as Input) : {})) : [];
      if (targets.length < 1 || targets.length > 10) throw new ClientError('ValidationException', "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 10");
      const failed: FailedEntry[] = [];
      const accepted: Target[] = [];
      for (const t of targets) {
        const id = str(t.Id);
        const problem = id ? targetProblem(t) : 'Id is required';
        if (problem) failed.push({ TargetId: id, ErrorCode: 'ValidationException', ErrorMessage: problem });
        else accepted.push({ id, arn: str(t.Arn), call: httpTarget(str(t.Arn)) });
      }
      const kept = rule.targets.filter((t) => !accepted.some((a) => a.id === t.id));
      if (kept.length + accepted.length > MAX_TARGETS_PER_RULE) throw new ClientError('LimitExceededException', `A rule has at most ${MAX_TARGETS_PER_RULE} targets.`);
      rule.targets = [...kept, ...accepted];
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    },
    RemoveTargets: (input) => {
      const rule = this.rule(input.Rule, input.EventBusName);
      this.refuseManaged(rule);
      const ids = Array.isArray(input.Ids) ? input.Ids.map(str) : [];
      const failed = ids.filter((id) => !rule.targets.some((t) => t.id === id)).map((id) => ({ TargetId: id, ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Target ${id} does not exist on rule ${rule.name}.` }));
      rule.targets = rule.targets.filter((t) => !ids.includes(t.id));
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    },
    ListTargetsByRule: (input) => ({ Targets: this.rule(input.Rule, input.EventBusName).targets.map((t) => ({ Id: t.id, Arn: t.arn })) }),
    ListEventBuses: (_input, region) => ({ EventBuses: [...this.buses].map((name) => ({ Name: name, Arn: `arn:aws:events:${region}:${ACCOUNT}:event-bus/${name}` })) }),
    DescribeEventBus: (input, region) => {
      const name = busName(input.Name);
      this.requireBus(name);
      return { Name: name, Arn: `arn:aws:events:${region}:${ACCOUNT}:event-bus/${name}` };
    },
  };

  /** Every rule with its targets, for the bus's page. */
  list(): { name: string; bus: string; pattern: string; state: string; managed: boolean; targets: string[] }[] {
    return [...this.rules.values()].map((r) => ({ name: r.name, bus: r.bus, pattern: JSON.stringify(r.pattern), state: r.state, managed: r.managedBy !== undefined, targets: r.targets.map((t) => t.arn) }));
  }

  private rule(name: unknown, bus: unknown): Rule {
    const b = busName(bus);
    this.requireBus(b);
    const rule = this.rules.get(`${b}/${str(name)}`);
    if (!rule) throw new ClientError('ResourceNotFoundException', `Rule ${str(name)} does not exist on EventBus ${b}.`);
    return rule;
  }

  private refuseManaged(rule: Rule | undefined): void {
    if (rule?.managedBy) throw new ClientError('ManagedRuleException', `Rule ${rule.name} is wired by the local stack itself (ManagedBy ${rule.managedBy}) and cannot be changed over the API.`);
  }

  private ruleArn(region: string, bus: string, name: string): string {
    return `arn:aws:events:${region}:${ACCOUNT}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
  }

  private describe(r: Rule, region: string) {
    return { Name: r.name, Arn: this.ruleArn(region, r.bus, r.name), EventPattern: JSON.stringify(r.pattern), State: r.state, EventBusName: r.bus, ...(r.description ? { Description: r.description } : {}), ...(r.managedBy ? { ManagedBy: r.managedBy } : {}) };
  }
}
