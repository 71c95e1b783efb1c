import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { ActionCatalog } from '../../src/core/catalog';
import { lintPolicy } from '../../src/core/lint';
import { accountTrustSid } from '../../src/core/iam';
import { isGuardedConstruct } from './facts';
import { isPolicyCarrier } from './policy-carrier';
import { reportLintFinding, type SourcePositionFinder } from './report';

/** Options of {@link PolicyLintAspect}. */
export interface PolicyLintAspectOptions {
  /** The IAM action catalog (load it once in main.ts with `loadActionCatalog()` from src/io/catalog). */
  readonly catalog: ActionCatalog;
  /** Account ids of the organization, so trusts of other accounts count as third parties. @default - unknown */
  readonly organizationAccountIds?: readonly string[];
  /**
   * Rules not annotated here. By default the rules `PolicyDocumentGuardrail` reports from the same linter
   * (`lintPolicyStructure`: structure of the type, element formats, size), so each problem is reported once.
   * @default ['invalid-document', 'scp-principal-not-allowed', 'size-limit']
   */
  readonly ignoreRules?: readonly string[];
  /** Where a path is in its accounts/ file, so findings carry the element's line and column. @default - the document's start line */
  readonly locate?: SourcePositionFinder;
}

/**
 * Runs the policy linter over every construct that carries policies (see `PolicyCarrier`): errors become error
 * annotations (they stop `fullSynth` and `cdktf synth`), warnings and infos are annotated as such. Each message
 * names the accounts/ file, the rule and the JSON path. Suppressed findings are not annotated.
 */
export class PolicyLintAspect implements IAspect {
  private readonly ignored: ReadonlySet<string>;

  constructor(private readonly options: PolicyLintAspectOptions) {
    this.ignored = new Set(options.ignoreRules ?? ['invalid-document', 'scp-principal-not-allowed', 'size-limit']);
  }

  public visit(node: IConstruct): void {
    if (!isPolicyCarrier(node)) return;
    const facts = isGuardedConstruct(node) ? node.guardrailFacts : undefined;
    const accountId = facts && 'accountId' in facts ? facts.accountId : undefined;
    const trust = facts?.kind === 'role' ? facts.trust : undefined;
    const workloadTrustSids = (trust?.accounts ?? []).flatMap((t, i) => (t.kind === 'workload' ? [accountTrustSid(t, i) ?? ''] : [])).filter((sid) => sid !== '');
    for (const carried of node.carriedPolicies) {
      const findings = lintPolicy(carried.document, {
        type: carried.type,
        catalog: this.options.catalog,
        suppressions: carried.suppressions,
        accountId,
        organizationAccountIds: this.options.organizationAccountIds,
        workloadTrustSids,
      });
      for (const f of findings) if (!this.ignored.has(f.rule)) reportLintFinding(node, carried, f, this.options.locate);
    }
  }
}
