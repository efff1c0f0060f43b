/** Dependencies of the sweep function, built once per container; overrides for tests. */
import { DynamoTicketRepository } from '../../shared/adapters/dynamodb/ticket-repository.js';
import { DynamoTokenRepository } from '../../shared/adapters/dynamodb/token-repository.js';
import { coreDeps, dynamoTable, type ClientOverrides, type CoreDeps } from '../../shared/deps.js';
import type { SweepDeps } from '../../shared/use-cases/sweep-closed-tickets.js';

export type SweepFunctionDeps = CoreDeps & SweepDeps;

export function buildSweepDeps(env: NodeJS.ProcessEnv = process.env, overrides: Partial<SweepFunctionDeps> & ClientOverrides = {}): SweepFunctionDeps {
  const core = coreDeps(env, overrides);
  const { table, trail } = dynamoTable(env, overrides, core.config);
  return { ...core, tickets: overrides.tickets ?? new DynamoTicketRepository(table, trail), tokens: overrides.tokens ?? new DynamoTokenRepository(table, trail) };
}
