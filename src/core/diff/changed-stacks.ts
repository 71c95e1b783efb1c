/**
 * Which stacks a change touches, so only those are planned: an account's stack is a function of its resolved
 * account (and the organization stacks of the organization settings) and of the code that synthesizes it.
 * Each side is fingerprinted without line numbers (a comment moves lines, not resources); when synth code
 * changed, every stack is reported. Conservative: a changed fingerprint may synthesize the same stack.
 */
import { createHash } from 'node:crypto';
import type { ResolvedOrganization } from '../model';

/** The name that stands for the organization stacks (SCPs, trail, alerts) in the list. */
export const ORGANIZATION_STACKS = 'organization';

/** Paths whose change can change any synthesized stack (the synth code and its dependencies). */
export const SYNTH_CODE_PATHS: readonly string[] = ['modules', 'stacks', 'src', 'main.ts', 'cdktf.json', 'package.json', 'package-lock.json'];

function withoutLines(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLines);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      if (key === 'line' || key === 'rootDir') continue;
      out[key] = withoutLines((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(withoutLines(value) ?? null)).digest('hex');
}

/** What {@link findChangedStacks} found. */
export interface ChangedStacks {
  /** Account names whose stacks changed, then `organization` when the organization stacks did; sorted. */
  readonly accounts: readonly string[];
  readonly reason: string;
}

/** The accounts (and `organization`) whose stack inputs differ between base and head. */
export function findChangedStacks(base: ResolvedOrganization, head: ResolvedOrganization, options: { readonly synthCodeChanged: readonly string[] }): ChangedStacks {
  if (options.synthCodeChanged.length > 0) {
    const all = [...head.accounts.map((a) => a.name).sort(), ...(head.organization ? [ORGANIZATION_STACKS] : [])];
    return { accounts: all, reason: `synth code changed (${options.synthCodeChanged.slice(0, 3).join(', ')}${options.synthCodeChanged.length > 3 ? ', …' : ''}): every stack` };
  }
  const before = new Map(base.accounts.map((a) => [a.name, fingerprint(a)]));
  const changed = head.accounts.filter((a) => before.get(a.name) !== fingerprint(a)).map((a) => a.name).sort();
  const orgChanged = fingerprint({ name: head.name, organization: head.organization, ids: head.accounts.map((a) => [a.name, a.id]) }) !==
    fingerprint({ name: base.name, organization: base.organization, ids: base.accounts.map((a) => [a.name, a.id]) });
  const accounts = [...changed, ...(orgChanged && head.organization ? [ORGANIZATION_STACKS] : [])];
  return { accounts, reason: accounts.length === 0 ? 'no stack input changed' : `stack inputs changed: ${accounts.join(', ')}` };
}
