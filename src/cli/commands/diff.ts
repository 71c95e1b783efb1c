import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadOrganization } from '../../config';
import {
  ACCESS_DIFF_NOTE_MARKER,
  buildAccessModel,
  decideApprovals,
  DIFF_FORMATS,
  diffAccessModels,
  findChangedStacks,
  renderApprovalDotenv,
  renderDiff,
  renderDiffMarkdown,
  type AccessDiff,
  type ApprovalDecision,
  type DiffFormat,
} from '../../core/diff';
import type { ResolvedOrganization } from '../../core/model';
import { loadActionCatalog } from '../../io/catalog';
import { loadOrganizationAtRef, readApprovalPolicyAtRef } from '../../io/git';
import { GitLabClient, readMergeRequestContext } from '../../io/gitlab';
import { EXIT_CODES } from '../exit-codes';
import { type CommandContext, type CommandModule, invalidArgument } from '../program';
import { fingerprintStacks, listSynthCodeChanges } from './stack-fingerprints';

/** Label of the work tree as a diff side. */
export const WORK_TREE = 'work tree';

interface DiffFlags {
  readonly base: string;
  readonly head?: string;
  readonly format: string;
  readonly dotenv?: string;
  readonly approvalJson?: string;
  readonly mergeRequestNote?: boolean;
}

/** Loads one side: a git ref, or the work tree when `ref` is undefined. */
export function loadSide(cwd: string, ref: string | undefined): ResolvedOrganization {
  return ref === undefined ? loadOrganization(cwd) : loadOrganizationAtRef(cwd, ref);
}

/** The access diff of two sides of the repository in `cwd`. */
export function computeAccessDiff(cwd: string, base: string, head: string | undefined): { diff: AccessDiff; baseOrg: ResolvedOrganization; headOrg: ResolvedOrganization } {
  const baseOrg = loadSide(cwd, base);
  const headOrg = loadSide(cwd, head);
  const diff = diffAccessModels(buildAccessModel(baseOrg), buildAccessModel(headOrg), { catalog: loadActionCatalog(), baseLabel: base, headLabel: head ?? WORK_TREE });
  return { diff, baseOrg, headOrg };
}

function writeOutput(cwd: string, file: string, text: string): void {
  const path = resolve(cwd, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

async function runDiff(context: CommandContext, flags: DiffFlags): Promise<void> {
  if (!(DIFF_FORMATS as readonly string[]).includes(flags.format)) invalidArgument(`--format must be one of ${DIFF_FORMATS.join(', ')}, got "${flags.format}"`);
  const { diff, baseOrg, headOrg } = computeAccessDiff(context.cwd, flags.base, flags.head);
  context.output.result(renderDiff(diff, flags.format as DiffFormat));

  if (flags.dotenv !== undefined || flags.approvalJson !== undefined) {
    // The approval rules come from the base (the target branch): a merge request cannot loosen its own.
    const policy = readApprovalPolicyAtRef(context.cwd, flags.base);
    const ous = new Map([...baseOrg.accounts, ...headOrg.accounts].map((a) => [a.name, a.ou]));
    const decision: ApprovalDecision = decideApprovals(diff, policy, (name) => ous.get(name));
    if (flags.dotenv !== undefined) {
      // Only the stacks whose synthesized Terraform JSON changed need a plan: both sides are synthesized and hashed.
      const code = listSynthCodeChanges(context.cwd, flags.base, flags.head);
      if (code.length > 0) context.output.message(`synth code changed (${code.slice(0, 3).join(', ')}${code.length > 3 ? ', …' : ''}): the base is synthesized with its own code`);
      const stacks = findChangedStacks(fingerprintStacks(context.cwd, flags.base, code.length > 0), fingerprintStacks(context.cwd, flags.head, code.length > 0));
      context.output.message(stacks.reason);
      writeOutput(context.cwd, flags.dotenv, renderApprovalDotenv(diff, decision, stacks.stacks));
    }
    if (flags.approvalJson !== undefined) writeOutput(context.cwd, flags.approvalJson, `${JSON.stringify(decision, null, 2)}\n`);
    context.output.message(decision.reason);
  }
  if (flags.mergeRequestNote) {
    const mr = readMergeRequestContext(process.env);
    const client = new GitLabClient({ apiUrl: mr.apiUrl, projectId: mr.projectId, token: mr.token });
    const result = await client.upsertMergeRequestNote(mr.mergeRequestIid, renderDiffMarkdown(diff), ACCESS_DIFF_NOTE_MARKER);
    context.output.message(`merge request !${mr.mergeRequestIid}: access-diff note ${result.noteId} ${result.action}`);
  }
  context.setExitCode(diff.verdict === 'no-new-access' ? EXIT_CODES.CLEAN : EXIT_CODES.FOUND);
}

/**
 * `iamctl diff --base REF [--head REF]`: what access the change between two refs (head default: the work tree)
 * adds or removes, per account and role, with a verdict. Exit 0 no-new-access, 1 new-access or risky, 2 could not run.
 */
export const diffCommand: CommandModule = {
  register(program, context) {
    program
      .command('diff')
      .description('Access diff between two git refs: who gains or loses which access, with a verdict (no-new-access, new-access, risky)')
      .requiredOption('--base <ref>', 'base git ref (the merge request target, e.g. origin/main or $CI_MERGE_REQUEST_DIFF_BASE_SHA)')
      .option('--head <ref>', 'head git ref (default: the work tree)')
      .option('--format <format>', `output format (${DIFF_FORMATS.join(', ')})`, 'text')
      .option('--dotenv <file>', 'write a GitLab dotenv report: verdict and required approvals (approval policy from --base)')
      .option('--approval-json <file>', 'write the approval decision as JSON (input of scripts/ci/approval-jobs.ts)')
      .option('--merge-request-note', 'post the Markdown as the merge request note, or update the note posted before (GitLab CI variables, IAMCTL_GITLAB_TOKEN)')
      .action((flags: DiffFlags) => runDiff(context, flags));
  },
};
