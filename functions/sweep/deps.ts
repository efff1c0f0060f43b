/** Dependencies of the sweep function, built once per container; overrides for tests. */
import { clients, coreDeps, repositories, tableName, type ClientOverrides, type CoreDeps } from '../../shared/deps.js';
import type { SweepDeps } from '../../shared/use-cases/sweep-closed-tickets.js';

export type SweepFunctionDeps = CoreDeps & SweepDeps;

export function buildSweepDeps(env: NodeJS.ProcessEnv = process.env, overrides: Partial<SweepFunctionDeps> & ClientOverrides = {}): SweepFunctionDeps {
  const core = coreDeps(env, overrides);
  const repos = repositories(clients.db(env, overrides), tableName(env), core.config);
  return { ...core, tickets: overrides.tickets ?? repos.tickets, tokens: overrides.tokens ?? repos.tokens };
}
