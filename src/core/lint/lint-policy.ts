import { PolicyDocument, checkPolicyType, decodePolicyText, locateStatements } from '../policy';
import type { Problem } from '../errors';
import type { PolicyType } from '../policy';
import { findAdminGrant, checkActionNames, checkBroadGrants } from './checks/action-checks';
import type { CheckContext } from './checks/check-context';
import { checkConditions } from './checks/condition-checks';
import { checkDuplicateSids, checkElementFormats, checkRedundantStatements, checkSize } from './checks/document-checks';
import { checkPassRole, checkPrivilegeEscalation } from './checks/escalation-checks';
import { checkNotPrincipalAllow, checkServicePrincipals } from './checks/principal-checks';
import { checkActionResourceTypes, checkResourceStar, checkResourceTypes } from './checks/resource-checks';
import { checkScpExemptionBreadth, checkScpLockout } from './checks/scp-checks';
import { checkTrust } from './checks/trust-checks';
import { createFinding } from './finding';
import { RULES, type LintRuleId } from './rules';
import type { LintFinding, LintOptions } from './types';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses text input (plain or URL-encoded JSON); objects and PolicyDocuments pass through. */
function toJson(input: unknown, root: string): { readonly json?: unknown; readonly problem?: LintFinding } {
  if (input instanceof PolicyDocument) return { json: input.toJSON() };
  if (typeof input !== 'string') return { json: input };
  try {
    return { json: JSON.parse(decodePolicyText(input)) };
  } catch (e) {
    return { problem: createFinding('invalid-document', root, `The policy is not valid JSON: ${(e as Error).message}`) };
  }
}

/** Structural problems as findings; for SCPs a Principal is its own rule. */
function structuralFindings(problems: readonly Problem[], type: PolicyType): LintFinding[] {
  return problems.map((p) => {
    if (type === 'scp' && /\.(Not)?Principal$/.test(p.path) && p.message.includes('not allowed')) {
      return createFinding('scp-principal-not-allowed', p.path, `${p.path.endsWith('NotPrincipal') ? 'NotPrincipal' : 'Principal'} is not supported in an SCP: an SCP applies to every principal of the accounts it is attached to; use a condition on aws:PrincipalArn instead`);
    }
    return createFinding('invalid-document', p.path, p.message);
  });
}

/** Per policy type: the rules that apply to it, and invalid-document (structure applies to every type). */
const RULES_BY_TYPE: Readonly<Record<PolicyType, ReadonlySet<string>>> = (() => {
  const byType = {} as Record<PolicyType, ReadonlySet<string>>;
  for (const type of ['identity', 'resource', 'trust', 'boundary', 'scp'] as const) {
    byType[type] = new Set([...(Object.keys(RULES) as LintRuleId[]).filter((id) => (RULES[id].appliesTo as readonly PolicyType[]).includes(type)), 'invalid-document']);
  }
  return byType;
})();

const PATH_ORDER = new Intl.Collator('en', { numeric: true });

function comparePaths(a: string, b: string): number {
  return PATH_ORDER.compare(a, b);
}

/**
 * Lints one policy document and returns every finding, suppressed ones included (marked `suppressed`).
 * The input is an object, a JSON string (URL-encoded accepted) or a {@link PolicyDocument}.
 * Structural problems are `invalid-document` findings; when the structure is broken, the other rules do not run.
 */
export function lintPolicy(input: unknown, options: LintOptions): LintFinding[] {
  const root = options.path ?? '$';
  let document: PolicyDocument | undefined;
  let problems: readonly Problem[];
  if (input instanceof PolicyDocument) {
    // Built and validated once (by the config loader or in code): only the rules of its type remain.
    document = input;
    problems = checkPolicyType(input, options.type, root);
  } else {
    const { json, problem } = toJson(input, root);
    if (problem) return applySuppressions([problem], options);
    ({ document, problems } = PolicyDocument.parse(json, { type: options.type, path: root }));
  }
  const findings = structuralFindings(problems, options.type);
  // Type-specific problems (a Principal in an identity policy) do not stop the other rules; broken structure does.
  if (!document) return applySuppressions(findings, options);

  const view = locateStatements(document, root);
  findings.push(...checkElementFormats({ view, type: options.type }), ...checkSize({ view, type: options.type }, options.awsManaged));
  const adminStatements = new Set(view.statements.filter((s) => findAdminGrant(options.catalog, s) !== undefined).map((s) => s.index));
  const ctx: CheckContext = { view, type: options.type, catalog: options.catalog, options, adminStatements };
  const type = options.type;
  findings.push(...checkActionNames(ctx), ...checkConditions(ctx), ...checkDuplicateSids(ctx), ...checkRedundantStatements(ctx));
  if (type === 'identity' || type === 'resource') {
    findings.push(...checkBroadGrants(ctx), ...checkResourceStar(ctx));
  }
  if (type !== 'trust') findings.push(...checkResourceTypes(ctx), ...checkActionResourceTypes(ctx));
  if (type === 'identity') findings.push(...checkPrivilegeEscalation(ctx), ...checkPassRole(ctx));
  if (type === 'trust') findings.push(...checkTrust(ctx));
  if (type === 'resource' || type === 'trust') findings.push(...checkNotPrincipalAllow(ctx));
  findings.push(...checkServicePrincipals(ctx));
  if (type === 'scp') findings.push(...checkScpLockout(ctx), ...checkScpExemptionBreadth(ctx));

  const applies = RULES_BY_TYPE[type];
  const kept = findings.filter((f) => applies.has(f.rule));
  if (kept.length < 2) return applySuppressions(kept, options);
  const seen = new Set<string>();
  const unique = kept
    .filter((f) => {
      const key = `${f.rule}\u0000${f.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => comparePaths(a.path, b.path) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return applySuppressions(unique, options);
}

/** Options of {@link lintPolicyStructure}. */
export interface LintPolicyStructureOptions {
  /** The kind of document. */
  readonly type: PolicyType;
  /** JSON path of the document in its file. @default '$' */
  readonly path?: string;
  /** Accepted findings. @default - none */
  readonly suppressions?: LintOptions['suppressions'];
}

/** Rules that every check of a built document shares and that need no action catalog. */
const STRUCTURE_RULES: ReadonlySet<string> = new Set(['invalid-document', 'scp-principal-not-allowed', 'size-limit']);

/**
 * The rules of {@link lintPolicy} that need no action catalog, on a built document: its type's structure
 * (Principal, Resource), element formats and the size limit. The synth guardrail reports these; the same
 * findings, with the same messages, are part of every `lintPolicy` result.
 */
export function lintPolicyStructure(document: PolicyDocument, options: LintPolicyStructureOptions): LintFinding[] {
  const root = options.path ?? '$';
  const view = locateStatements(document, root);
  const findings = [...structuralFindings(checkPolicyType(document, options.type, root), options.type), ...checkElementFormats({ view, type: options.type }), ...checkSize({ view, type: options.type })];
  return applySuppressions(
    findings.filter((f) => STRUCTURE_RULES.has(f.rule)).sort((a, b) => comparePaths(a.path, b.path) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)),
    options,
  );
}

/** Marks findings whose rule a suppression (with a reason) accepts. */
export function applySuppressions<T extends LintFinding>(findings: readonly T[], options: Pick<LintOptions, 'suppressions'>): T[] {
  const reasons = new Map<string, string>();
  for (const s of options.suppressions ?? []) if (s.reason.trim() !== '') reasons.set(s.rule, s.reason.trim());
  if (reasons.size === 0) return [...findings];
  return findings.map((f) => (reasons.has(f.rule) ? { ...f, suppressed: { reason: reasons.get(f.rule)! } } : f));
}

/**
 * Guesses the type of a policy from its content: a Principal means trust (only sts actions) or resource;
 * everything else is an identity policy. Effects say nothing about the type (an identity policy of Deny
 * statements is common; AWS managed policies have them): SCPs and boundaries need `--type scp|boundary` or
 * the accounts/ model, which knows where each policy is used.
 */
export function guessPolicyType(input: unknown): PolicyType {
  const { json } = toJson(input, '$');
  if (!isPlainObject(json)) return 'identity';
  const raw = json.Statement;
  const statements = (Array.isArray(raw) ? raw : [raw]).filter(isPlainObject);
  const withPrincipal = statements.filter((s) => s.Principal !== undefined || s.NotPrincipal !== undefined);
  if (withPrincipal.length > 0) {
    const actions = withPrincipal.flatMap((s) => {
      const a = s.Action ?? s.NotAction;
      return (Array.isArray(a) ? a : [a]).filter((x): x is string => typeof x === 'string');
    });
    return actions.length > 0 && actions.every((a) => /^sts:(AssumeRole|TagSession|SetSourceIdentity|SetContext)/i.test(a)) ? 'trust' : 'resource';
  }
  return 'identity';
}
