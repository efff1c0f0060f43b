/**
 * Where the running local stack listens, recorded as JSON under its data directory once it is
 * ready and removed when it stops in order, so tools (the ops CLI) find a stack started on any
 * ports — `OTA_HTTP_PORT=0` and friends included. A stack killed outright leaves its file behind:
 * readers check that the process it names is still alive.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PORT_NAMES, type PortName } from './settings.js';

export const STACK_ADDRESS_FILE = 'stack.json';

export interface StackAddress {
  pid: number;
  startedAt: string;
  host: string;
  ports: Record<PortName, number>;
  portal: string;
  eventBusName: string;
}

export function stackAddressPath(dataDir: string): string {
  return join(dataDir, STACK_ADDRESS_FILE);
}

/** Written whole or not at all: a reader never sees half a file. */
export function writeStackAddress(dataDir: string, address: StackAddress): string {
  const path = stackAddressPath(dataDir);
  writeFileSync(`${path}.${address.pid}.tmp`, `${JSON.stringify(address, null, 2)}\n`);
  renameSync(`${path}.${address.pid}.tmp`, path);
  return path;
}

/** Removes the file if it still names this process (a later stack on the same directory keeps its own). */
export function removeStackAddress(dataDir: string, pid = process.pid): void {
  if (readStackAddress(dataDir)?.pid === pid) rmSync(stackAddressPath(dataDir), { force: true });
}

/** The recorded address, or undefined when there is none (or it is not one of ours). */
export function readStackAddress(dataDir: string): StackAddress | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(stackAddressPath(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  const a = value as Partial<StackAddress> | null;
  const portsOk = typeof a?.ports === 'object' && a.ports !== null && PORT_NAMES.every((p) => Number.isInteger(a.ports?.[p]));
  return a && Number.isInteger(a.pid) && typeof a.host === 'string' && portsOk ? (a as StackAddress) : undefined;
}

/** Whether a process with this id exists (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
