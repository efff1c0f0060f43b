/** SES receipt verdicts against the configured thresholds (docs/inbound-mail.md, "Verdicts, loops and senders"). */
import type { Config } from '../config.js';

export interface ReceiptVerdicts {
  spam?: string;
  virus?: string;
  spf?: string;
  dkim?: string;
  dmarc?: string;
  /** Policy the sender's domain publishes: none | quarantine | reject. */
  dmarcPolicy?: string;
}

export type VerdictDecision = { action: 'accept' } | { action: 'drop' | 'reject'; reason: string };

const failed = (status?: string) => status?.toUpperCase() === 'FAIL';

export function judgeVerdicts(v: ReceiptVerdicts, rules: Config['Verdicts']): VerdictDecision {
  if (rules.DropOnVirusFail && failed(v.virus)) return { action: 'drop', reason: 'virus' };
  if (rules.RejectOnSpamFail && failed(v.spam)) return { action: 'reject', reason: 'spam' };
  const policy = (v.dmarcPolicy ?? 'none').toLowerCase() as 'none' | 'quarantine' | 'reject';
  if (failed(v.dmarc) && rules.RejectOnDmarcFailPolicies.includes(policy)) return { action: 'reject', reason: `dmarc:${policy}` };
  if (rules.RejectOnSpfFail && failed(v.spf)) return { action: 'reject', reason: 'spf' };
  if (rules.RejectOnDkimFail && failed(v.dkim)) return { action: 'reject', reason: 'dkim' };
  return { action: 'accept' };
}
