/**
 * Which stacks a change touches, so only those are planned: each side's synthesized stacks are hashed
 * (sha256 of the canonical JSON of `cdk.tf.json`: keys sorted, so the same configuration always gives the same
 * hash) and compared stack by stack. What Terraform Cloud would plan is exactly what changed in the Terraform
 * JSON, whatever changed it (accounts/, modules, stacks, the Lambda bundle, a dependency). Pure: the synth of
 * each side is the CLI's (src/cli/commands/stack-fingerprints.ts).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../registry/policy-record';

/** The name that stands for the organization stacks (SCPs, trail, alerts) in account lists. */
export const ORGANIZATION_STACKS = 'organization';

/** Paths whose change can change any synthesized stack (the synth code and its dependencies): when none changed, the base is synthesized with the head's code. */
export const SYNTH_CODE_PATHS: readonly string[] = ['bin', 'modules', 'stacks', 'src', 'main.ts', 'cdktf.json', 'package.json', 'package-lock.json'];

/** One synthesized stack and the hash of its Terraform JSON. */
export interface StackFingerprint {
  /** Stack id: the folder under `cdktf.out/stacks` (`iam-app-prod`). */
  readonly stack: string;
  /** Account the stack deploys to. */
  readonly account: string;
  /** sha256 (hex) of the canonical JSON of the stack's `cdk.tf.json`. */
  readonly hash: string;
}

/** sha256 (hex) of the canonical JSON of a stack's Terraform JSON. */
export function hashStackJson(terraformJson: unknown): string {
  return createHash('sha256').update(canonicalJson(terraformJson)).digest('hex');
}

/** What {@link findChangedStacks} found. */
export interface ChangedStacks {
  /** Stacks of the head whose Terraform JSON differs from the base's, or which the base does not have; sorted. */
  readonly stacks: readonly string[];
  /** Stacks the base has and the head does not (their workspaces would be destroyed; never planned from here); sorted. */
  readonly removed: readonly string[];
  /** One line for the job log. */
  readonly reason: string;
}

/** The head's stacks whose hash differs from the base's (a new stack counts as changed). */
export function findChangedStacks(base: readonly StackFingerprint[], head: readonly StackFingerprint[]): ChangedStacks {
  const before = new Map(base.map((s) => [s.stack, s.hash]));
  const after = new Set(head.map((s) => s.stack));
  const stacks = head.filter((s) => before.get(s.stack) !== s.hash).map((s) => s.stack).sort();
  const removed = base.filter((s) => !after.has(s.stack)).map((s) => s.stack).sort();
  const parts = [
    stacks.length === 0 ? `no synthesized stack changed (${head.length} compared)` : `synthesized stacks changed: ${stacks.join(', ')} (of ${head.length})`,
    ...(removed.length > 0 ? [`removed from the head, not planned: ${removed.join(', ')}`] : []),
  ];
  return { stacks, removed, reason: parts.join('; ') };
}
