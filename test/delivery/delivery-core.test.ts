import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildGitLabReport,
  classifyRunState,
  decideApply,
  describePolicyFailures,
  hasFailedRun,
  hasUnsuccessfulPlan,
  isApplySettled,
  isPlanSettled,
  parseRunManifest,
  renderRunSummary,
  resolveTfcTargets,
  sortByDeploymentOrder,
  tokenVariableName,
  type PolicyCheckSummary,
  type TaskStageSummary,
  type TfcRunRecord,
} from '../../src/core/delivery';
import { loadOrganization } from '../../src/config';

const CASES = join(__dirname, '..', 'fixtures', 'delivery', 'cases');

interface Case<I, E> {
  readonly name: string;
  readonly input: I;
  readonly expected: E;
}

function loadCases<I, E>(file: string): readonly Case<I, E>[] {
  return JSON.parse(readFileSync(join(CASES, file), 'utf8')) as Case<I, E>[];
}

const RECORD: TfcRunRecord = {
  account: 'app',
  organization: 'acme',
  environment: 'nonprod',
  workspace: 'iam-app',
  workspaceId: 'ws-app',
  runId: 'run-1',
  status: 'planned',
  planCounts: { create: 1, update: 2, delete: 3 },
  speculative: false,
  url: 'https://app.terraform.io/app/acme/workspaces/iam-app/runs/run-1',
};

describe('run states (fixtures/delivery/cases/run-phases.json)', () => {
  for (const c of loadCases<string, { phase: string; planSettled: boolean; applySettled: boolean }>('run-phases.json')) {
    it(c.name, () => {
      expect({ phase: classifyRunState(c.input), planSettled: isPlanSettled(c.input), applySettled: isApplySettled(c.input) }).toEqual(c.expected);
    });
  }
});

describe('decideApply (fixtures/delivery/cases/apply-decisions.json)', () => {
  for (const c of loadCases<{ status: string; speculative?: boolean }, unknown>('apply-decisions.json')) {
    it(c.name, () => {
      expect(decideApply({ ...RECORD, speculative: c.input.speculative ?? false }, c.input.status)).toEqual(c.expected);
    });
  }
});

describe('run records', () => {
  it('sums the plan counts of finished plans into the GitLab report, ignoring unfinished ones', () => {
    expect(buildGitLabReport([RECORD, { ...RECORD, runId: 'run-2', planCounts: { create: 10, update: 0, delete: 0 } }, { ...RECORD, runId: 'run-3', status: 'errored', planCounts: null }])).toEqual({
      create: 11,
      update: 2,
      delete: 3,
    });
  });

  it('counts errored runs and failed policies as failures, not discarded runs', () => {
    expect(hasFailedRun([RECORD, { ...RECORD, status: 'discarded' }])).toBe(false);
    expect(hasFailedRun([RECORD, { ...RECORD, status: 'policy_soft_failed' }])).toBe(true);
  });

  it('renders aligned lines and a totals line', () => {
    expect(renderRunSummary([RECORD, { ...RECORD, account: 'security-tooling', workspace: 'iam-security-tooling', status: 'errored', planCounts: null }])).toBe(
      [
        'app               iam-app               planned  +1 ~2 -3  https://app.terraform.io/app/acme/workspaces/iam-app/runs/run-1',
        'security-tooling  iam-security-tooling  errored  -         https://app.terraform.io/app/acme/workspaces/iam-app/runs/run-1',
        '2 runs, 1 failed; changes +1 ~2 -3',
      ].join('\n'),
    );
    expect(renderRunSummary([])).toBe('no runs');
  });

  it('reads back a manifest and names every problem of a broken one with its path', () => {
    const manifest = { kind: 'iamctl-tfc-runs', version: 1, hostname: 'app.terraform.io', createdAt: '2026-11-28T08:00:00Z', runs: [RECORD] };
    expect(parseRunManifest(manifest, 'plans/tfc-runs.json')).toEqual(manifest);
    const broken = { ...manifest, runs: [{ ...RECORD, runId: 'ws-1', environment: 'dev', planCounts: { create: 1 }, speculative: 'no' }] };
    expect(() => parseRunManifest(broken, 'plans/tfc-runs.json')).toThrow(
      'plans/tfc-runs.json is not a run manifest written by `iamctl tfc plan`: $.runs[0].runId: expected a run id like "run-…", got "ws-1"; $.runs[0].environment: expected one of nonprod, staging, prod; $.runs[0].speculative: expected true or false; $.runs[0].planCounts: expected null or {create, update, delete} integers',
    );
  });
});

describe('Terraform Cloud targets', () => {
  it('names the workspace <prefix><account> from the resolved cloud backend', () => {
    const org = loadOrganization(join(__dirname, '..', 'fixtures', 'delivery', 'cloud-org'));
    expect(resolveTfcTargets(org.accounts)).toEqual([
      { account: 'app', environment: 'nonprod', stackName: 'iam-app', hostname: 'app.terraform.io', organization: 'acme', workspace: 'iam-app' },
      { account: 'security', environment: 'prod', stackName: 'iam-security', hostname: 'app.terraform.io', organization: 'acme', workspace: 'iam-security' },
    ]);
  });

  it('derives the token variable as Terraform does: dots to underscores, hyphens to double underscores', () => {
    expect(tokenVariableName('app.terraform.io')).toBe('TF_TOKEN_app_terraform_io');
    expect(tokenVariableName('tfe.my-company.example')).toBe('TF_TOKEN_tfe_my__company_example');
  });
});

describe('plan outcome and deployment order', () => {
  it('counts a plan canceled or discarded while planning as unsuccessful, as well as errors', () => {
    expect(hasUnsuccessfulPlan([RECORD, { ...RECORD, status: 'planned_and_finished' }])).toBe(false);
    expect(hasUnsuccessfulPlan([RECORD, { ...RECORD, status: 'canceled' }])).toBe(true);
    expect(hasUnsuccessfulPlan([{ ...RECORD, status: 'errored' }])).toBe(true);
  });

  it('orders records nonprod → staging → prod, keeping the order inside an environment', () => {
    const records = [
      { ...RECORD, account: 'a-prod', environment: 'prod' as const },
      { ...RECORD, account: 'b-nonprod', environment: 'nonprod' as const },
      { ...RECORD, account: 'c-staging', environment: 'staging' as const },
      { ...RECORD, account: 'd-nonprod', environment: 'nonprod' as const },
    ];
    expect(sortByDeploymentOrder(records).map((r) => r.account)).toEqual(['b-nonprod', 'd-nonprod', 'c-staging', 'a-prod']);
  });
});

describe('describePolicyFailures (fixtures/delivery/cases/policy-failures.json)', () => {
  for (const c of loadCases<{ checks: PolicyCheckSummary[]; stages: TaskStageSummary[] }, string | null>('policy-failures.json')) {
    it(c.name, () => {
      expect(describePolicyFailures(c.input.checks, c.input.stages) ?? null).toBe(c.expected);
    });
  }
});
