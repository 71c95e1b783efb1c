/**
 * The compliance of the platform's AWS Config rules in one account, read live: DescribeComplianceByConfigRule
 * (paged) for the rules, and GetComplianceDetailsByConfigRule (one bounded page per rule) for the resources of a
 * non-compliant rule. A rule the account does not have is reported as missing, never as compliant.
 */
import {
  type ComplianceByConfigRule,
  type ConfigServiceClient,
  DescribeComplianceByConfigRuleCommand,
  GetComplianceDetailsByConfigRuleCommand,
} from '@aws-sdk/client-config-service';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { describeAwsFailure } from '../iam/errors';

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

/** One AWS Config call; a failure becomes a user error naming the call, with the config: permission when denied. */
async function callConfig<T>(call: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const e = error as { name?: string; message?: string };
    if (e.name === 'NoSuchConfigRuleException') throw error;
    if (e.name && ACCESS_DENIED.has(e.name)) {
      throw new IamPlatformError(ERROR_CODES.AWS_API, `AWS Config ${call} failed: ${e.message ?? ''} (${e.name}). Fix: grant config:${call} to the role that reads the account (--live-role)`, { cause: error });
    }
    throw describeAwsFailure('AWS Config', call, error);
  }
}

/**
 * Most rule names one DescribeComplianceByConfigRule request may name (ConfigRuleNames: 0 to 25 items).
 * @see https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeComplianceByConfigRule.html
 */
export const MAX_CONFIG_RULE_NAMES_PER_REQUEST = 25;

/**
 * Most evaluation results one GetComplianceDetailsByConfigRule page returns (Limit: 0 to 100); the report lists at
 * most one page of non-compliant resources per rule.
 * @see https://docs.aws.amazon.com/config/latest/APIReference/API_GetComplianceDetailsByConfigRule.html
 */
export const MAX_CONFIG_EVALUATIONS_PER_PAGE = 100;

/** A non-compliant resource of a rule. */
export interface NonCompliantResource {
  readonly resourceType: string;
  readonly resourceId: string;
  /** Why the rule found it non-compliant (the evaluation's annotation). @default - none given */
  readonly annotation?: string;
}

/** What AWS Config says about one of the platform's rules in the account. */
export type ConfigRuleState =
  | { readonly rule: string; readonly state: 'compliant' }
  | {
      readonly rule: string;
      readonly state: 'non-compliant';
      /** At most {@link MAX_CONFIG_EVALUATIONS_PER_PAGE} resources. */
      readonly resources: readonly NonCompliantResource[];
      /** Non-compliant resources AWS Config counts (capped at 100 by AWS). @default - not given */
      readonly count?: number;
      /** True when AWS Config has more non-compliant resources than listed. */
      readonly truncated: boolean;
    }
  | { readonly rule: string; readonly state: 'insufficient-data' }
  | { readonly rule: string; readonly state: 'missing' }
  | { readonly rule: string; readonly state: 'unknown'; readonly complianceType: string };

function isNoSuchRule(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'NoSuchConfigRuleException';
}

async function describeCompliance(config: ConfigServiceClient, names: readonly string[]): Promise<ComplianceByConfigRule[]> {
  const out: ComplianceByConfigRule[] = [];
  let token: string | undefined;
  do {
    const page = await callConfig('DescribeComplianceByConfigRule', () =>
      config.send(new DescribeComplianceByConfigRuleCommand({ ConfigRuleNames: [...names], ...(token ? { NextToken: token } : {}) })),
    );
    out.push(...(page.ComplianceByConfigRules ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

/**
 * Compliance of the named rules, in the order given. All rules are asked in one paged call (per 25 names); when
 * AWS Config answers NoSuchConfigRuleException, each rule is asked alone so the missing ones are known.
 */
async function describeRules(config: ConfigServiceClient, names: readonly string[]): Promise<Map<string, ComplianceByConfigRule | 'missing'>> {
  const found = new Map<string, ComplianceByConfigRule | 'missing'>();
  for (let i = 0; i < names.length; i += MAX_CONFIG_RULE_NAMES_PER_REQUEST) {
    const chunk = names.slice(i, i + MAX_CONFIG_RULE_NAMES_PER_REQUEST);
    let results: ComplianceByConfigRule[] | undefined;
    try {
      results = await describeCompliance(config, chunk);
    } catch (error) {
      if (!isNoSuchRule(error)) throw error;
    }
    if (results) {
      for (const r of results) if (r.ConfigRuleName) found.set(r.ConfigRuleName, r);
      continue;
    }
    for (const name of chunk) {
      try {
        for (const r of await describeCompliance(config, [name])) if (r.ConfigRuleName) found.set(r.ConfigRuleName, r);
      } catch (error) {
        if (!isNoSuchRule(error)) throw error;
        found.set(name, 'missing');
      }
    }
  }
  return found;
}

async function readNonCompliant(config: ConfigServiceClient, rule: string): Promise<{ resources: NonCompliantResource[]; more: boolean }> {
  const page = await callConfig('GetComplianceDetailsByConfigRule', () =>
    config.send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: rule, ComplianceTypes: ['NON_COMPLIANT'], Limit: MAX_CONFIG_EVALUATIONS_PER_PAGE })),
  );
  const resources = (page.EvaluationResults ?? []).slice(0, MAX_CONFIG_EVALUATIONS_PER_PAGE).map((r): NonCompliantResource => {
    const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
    return { resourceType: q?.ResourceType ?? '?', resourceId: q?.ResourceId ?? '?', ...(r.Annotation ? { annotation: r.Annotation } : {}) };
  });
  return { resources, more: Boolean(page.NextToken) || (page.EvaluationResults?.length ?? 0) > MAX_CONFIG_EVALUATIONS_PER_PAGE };
}

/**
 * Reads the compliance of `rules` (the platform's Config rule names) in the account of `config`. Throws the AWS
 * failure (a user error naming the call and the fix) when a call fails for another reason than a missing rule.
 */
export async function readConfigRuleCompliance(config: ConfigServiceClient, rules: readonly string[]): Promise<ConfigRuleState[]> {
  const found = await describeRules(config, rules);
  const out: ConfigRuleState[] = [];
  for (const rule of rules) {
    const r = found.get(rule);
    if (r === undefined || r === 'missing') {
      out.push({ rule, state: 'missing' });
      continue;
    }
    const type = r.Compliance?.ComplianceType ?? 'INSUFFICIENT_DATA';
    if (type === 'COMPLIANT') out.push({ rule, state: 'compliant' });
    else if (type === 'INSUFFICIENT_DATA') out.push({ rule, state: 'insufficient-data' });
    else if (type === 'NON_COMPLIANT') {
      const { resources, more } = await readNonCompliant(config, rule);
      const counted = r.Compliance?.ComplianceContributorCount;
      out.push({
        rule,
        state: 'non-compliant',
        resources,
        ...(counted?.CappedCount !== undefined ? { count: counted.CappedCount } : {}),
        truncated: more || Boolean(counted?.CapExceeded) || (counted?.CappedCount ?? 0) > resources.length,
      });
    } else out.push({ rule, state: 'unknown', complianceType: type });
  }
  return out;
}

/** The config-rules check of one account from its rule states: failing items, or why it was not evaluated. */
export interface ConfigRulesVerdict {
  /** Failing items (empty: passed); absent when the check could not be evaluated. */
  readonly items?: readonly string[];
  /** Why the check, or part of it, was not evaluated. @default - every rule was evaluated */
  readonly notEvaluated?: string;
}

function describeUnevaluated(s: ConfigRuleState, region: string): string | undefined {
  if (s.state === 'missing') return `rule ${s.rule} is not in the account's AWS Config (${region}): deploy the account's stack with drift detection`;
  if (s.state === 'insufficient-data') return `rule ${s.rule} is INSUFFICIENT_DATA: AWS Config has no current evaluation (never evaluated, its Lambda fails to put evaluations, or every result is NOT_APPLICABLE)`;
  if (s.state === 'unknown') return `rule ${s.rule} has compliance ${s.complianceType}, which is neither COMPLIANT nor NON_COMPLIANT`;
  return undefined;
}

/**
 * Judges the rules: NON_COMPLIANT rules fail the check, one item per listed resource; otherwise a rule that is
 * missing, INSUFFICIENT_DATA or of an unknown compliance leaves the check not evaluated (never a pass); otherwise it
 * passes. When some rules fail and others were not evaluated, `notEvaluated` says which.
 */
export function judgeConfigRules(states: readonly ConfigRuleState[], region: string): ConfigRulesVerdict {
  const items: string[] = [];
  for (const s of states) {
    if (s.state !== 'non-compliant') continue;
    for (const r of s.resources) items.push(`rule ${s.rule} NON_COMPLIANT: ${r.resourceType} ${r.resourceId}${r.annotation ? ` (${r.annotation})` : ''}`);
    if (s.resources.length === 0) items.push(`rule ${s.rule} NON_COMPLIANT${s.count !== undefined ? `: ${s.count} resource(s)` : ''}, none listed by GetComplianceDetailsByConfigRule`);
    else if (s.truncated) items.push(`rule ${s.rule}: more non-compliant resources than the ${s.resources.length} listed${s.count !== undefined ? ` (AWS Config counts ${s.count}${s.count >= 100 ? '+' : ''})` : ''}`);
  }
  const unevaluated = states.map((s) => describeUnevaluated(s, region)).filter((x): x is string => x !== undefined);
  const notEvaluated = unevaluated.length > 0 ? unevaluated.join('; ') : undefined;
  if (items.length > 0) return { items, ...(notEvaluated ? { notEvaluated } : {}) };
  if (notEvaluated) return { notEvaluated };
  return { items: [] };
}
