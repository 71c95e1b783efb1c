import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { isAccountId } from '../../src/core/iam';
import type { RoleFacts } from './facts';
import { isGuardedConstruct } from './facts';
import { reportGuardrailError } from './report';

/** Guardrail id of {@link HumanTrustMfaGuardrail}. */
export const HUMAN_TRUST_MFA_RULE = 'human-trust-mfa';

/** Account id of a principal: a 12-digit id, or the account field of an ARN. @returns undefined for `*` and other shapes */
export function principalAccountId(principal: string): string | undefined {
  if (isAccountId(principal)) return principal;
  const match = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal);
  return match ? match[1] : undefined;
}

function crossAccount(principals: readonly string[], accountId: string): string[] {
  return principals.filter((p) => {
    const id = principalAccountId(p);
    return id === undefined || id !== accountId;
  });
}

/**
 * Every trust that lets humans in from another account requires MFA (`aws:MultiFactorAuthPresent`).
 * Uses the role's trust config when it has one (`kind: human`; `kind: workload` only for named roles, never a
 * whole account); otherwise every cross-account
 * `sts:AssumeRole` statement without MFA and without an external id is treated as human.
 */
export class HumanTrustMfaGuardrail implements IAspect {
  public visit(node: IConstruct): void {
    if (!isGuardedConstruct(node) || node.guardrailFacts.kind !== 'role') return;
    const facts = node.guardrailFacts;
    if (facts.trust) this.checkConfig(node, facts);
    else this.checkDocument(node, facts);
  }

  private checkConfig(node: IConstruct, facts: RoleFacts): void {
    for (const entry of facts.trust?.accounts ?? []) {
      if (entry.kind === 'third-party' || entry.requireMfa) continue;
      const others = crossAccount(entry.principals, facts.accountId);
      if (entry.kind === 'workload') {
        // `kind: workload` never switches MFA off: a workload trust names its roles; a whole account lets its people in.
        const wholeAccounts = others.filter((p) => isAccountId(p) || /^arn:[^:]+:iam::\d{12}:root$/.test(p));
        if (wholeAccounts.length > 0) {
          reportGuardrailError(
            node,
            HUMAN_TRUST_MFA_RULE,
            entry.source,
            `role "${facts.name}" declares kind: workload but trusts the whole account ${wholeAccounts.join(', ')}, people included, without MFA: name the workload roles (arn:aws:iam::<account>:role/<name>) or require MFA`,
          );
        }
        continue;
      }
      if (others.length === 0) continue;
      reportGuardrailError(
        node,
        HUMAN_TRUST_MFA_RULE,
        entry.source,
        `role "${facts.name}" lets humans from ${others.join(', ')} assume it without MFA: human cross-account trust must require MFA (or mark machine access kind: workload)`,
      );
    }
  }

  private checkDocument(node: IConstruct, facts: RoleFacts): void {
    facts.assumeRolePolicy.statements.forEach((statement, i) => {
      if (statement.effect !== 'Allow' || statement.principal === undefined || statement.principal === '*') return;
      const aws = statement.principal.AWS ?? [];
      if (!(statement.actions ?? []).some((a) => a.toLowerCase() === 'sts:assumerole')) return;
      const others = crossAccount(aws, facts.accountId);
      if (others.length === 0) return;
      if (statement.hasConditionKey('aws:MultiFactorAuthPresent') || statement.hasConditionKey('sts:ExternalId')) return;
      reportGuardrailError(
        node,
        HUMAN_TRUST_MFA_RULE,
        facts.source,
        `role "${facts.name}" lets principals from ${others.join(', ')} assume it without MFA or an external id: human cross-account trust must require MFA`,
        `${facts.source.path}.Statement[${i}]`,
      );
    });
  }
}
