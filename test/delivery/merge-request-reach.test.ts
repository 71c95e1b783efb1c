import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrganization } from '../../src/config';
import type { ActionCatalog } from '../../src/core/catalog';
import { matchesWildcard } from '../../src/core/catalog';
import { loadActionCatalog } from '../../src/io/catalog/load-action-catalog';
import { synthesizeOrganization } from '../../stacks';

/**
 * "Plan can never apply" (issue 10, finding 3), checked on what Terraform is told to create: every
 * role of every synthesized stack whose trust admits a merge-request run (a Terraform Cloud plan phase,
 * speculative or not, or a GitLab pipeline of a branch an MR author can name) may not write IAM or assume
 * another role. The expected facts are written here (the IAM write access levels, the MR subjects), not
 * taken from the code under test.
 */
const REPO_ROOT = path.join(__dirname, '..', '..');
/** AWS managed policies known to be read-only (no IAM writes, no sts:AssumeRole). */
const READ_ONLY_AWS_POLICIES = new Set(['SecurityAudit', 'job-function/ViewOnlyAccess', 'ReadOnlyAccess']);
/** Access levels of the Service Authorization Reference that change something. */
const WRITE_LEVELS = new Set(['Write', 'Permissions management', 'Tagging']);
/**
 * iam:PassRole is a Write-level IAM action that changes nothing in IAM: it hands an existing role to a
 * service. The nonprod application deploy role (any branch of acme/apps/shop) passes the app's own task
 * roles to ECS and Lambda; the linter's pass-role rule judges which roles, this test judges IAM writes.
 */
const NOT_IAM_WRITES = new Set(['iam:passrole']);

interface TfJson {
  readonly provider?: { readonly aws?: readonly { readonly alias?: string; readonly assume_role?: readonly { readonly role_arn: string }[] }[] };
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
}

interface Statement {
  readonly Effect: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Principal?: { readonly Federated?: string | readonly string[]; readonly AWS?: string | readonly string[] };
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

const list = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

/** Subjects an MR author can get a token for: a Terraform Cloud plan of any workspace, a GitLab pipeline of a branch they name. */
function mergeRequestSubjects(workspaces: readonly string[], gitlabProjects: readonly string[]): { readonly tfc: string[]; readonly gitlab: string[] } {
  return {
    tfc: workspaces.map((w) => `organization:acme:project:iam:workspace:${w}:run_phase:plan`),
    gitlab: gitlabProjects.map((p) => `project_path:${p}:ref_type:branch:ref:mr-author-branch-7f3c`),
  };
}

/** Whether a trust statement admits one of the subjects through a federated provider whose URL contains `host`. */
function admits(statement: Statement, host: string, subjects: readonly string[]): boolean {
  if (statement.Effect !== 'Allow' || !list(statement.Principal?.Federated).some((f) => f.includes(host))) return false;
  const patterns: string[] = [];
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) {
      if (key.toLowerCase() !== `${host}:sub`) continue;
      const wild = /like/i.test(operator);
      for (const v of list(values)) patterns.push(wild ? v : v.replace(/[*?]/g, '\\$&'));
    }
  }
  // No sub condition at all: every run of the issuer is admitted.
  if (patterns.length === 0) return true;
  return subjects.some((s) => patterns.some((p) => matchesWildcard(p, s)));
}

/** The actions of an Allow statement that write something in IAM, or let the role become another one. */
function writesIam(statement: Statement, catalog: ActionCatalog): string[] {
  if (statement.Effect !== 'Allow') return [];
  if (statement.NotAction) return [`NotAction ${list(statement.NotAction).join(',')}`];
  const out: string[] = [];
  for (const action of list(statement.Action)) {
    if (action === '*') {
      out.push('*');
      continue;
    }
    for (const name of catalog.expandPattern(action)) {
      const info = catalog.getAction(name);
      const service = name.split(':')[0].toLowerCase();
      if ((service === 'iam' && info && WRITE_LEVELS.has(info.accessLevel) && !NOT_IAM_WRITES.has(name.toLowerCase())) || /^sts:AssumeRole/i.test(name)) out.push(name);
    }
  }
  return out;
}

function readStacks(outdir: string): Map<string, TfJson> {
  const stacks = new Map<string, TfJson>();
  for (const name of fs.readdirSync(path.join(outdir, 'stacks'))) {
    stacks.set(name, JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as TfJson);
  }
  return stacks;
}

/** Every role a merge request can reach, with the IAM writes its policies grant. */
function findReachableWriters(stacks: ReadonlyMap<string, TfJson>, catalog: ActionCatalog): { reachable: string[]; writers: string[] } {
  const workspaces = [...stacks.keys()];
  const subjects = mergeRequestSubjects(workspaces, ['acme/platform/iam', 'acme/apps/shop']);
  const reachable: string[] = [];
  const writers: string[] = [];
  for (const [stackName, stack] of stacks) {
    const resources = stack.resource ?? {};
    const roles = resources.aws_iam_role ?? {};
    const policies = resources.aws_iam_policy ?? {};
    for (const [id, role] of Object.entries(roles)) {
      const trust = JSON.parse(role.assume_role_policy as string) as { Statement: Statement[] };
      const byTfc = trust.Statement.some((s) => admits(s, 'app.terraform.io', subjects.tfc));
      const byGitlab = trust.Statement.some((s) => admits(s, 'gitlab.com', subjects.gitlab));
      if (!byTfc && !byGitlab) continue;
      const label = `${stackName}/${role.name as string}`;
      reachable.push(label);
      const ref = `\${aws_iam_role.${id}.name}`;
      const documents: Statement[][] = [];
      for (const inline of Object.values(resources.aws_iam_role_policy ?? {})) {
        if (inline.role === ref || inline.role === role.name) documents.push((JSON.parse(inline.policy as string) as { Statement: Statement[] }).Statement);
      }
      for (const attachment of Object.values(resources.aws_iam_role_policy_attachment ?? {})) {
        if (attachment.role !== ref && attachment.role !== role.name) continue;
        const arn = attachment.policy_arn as string;
        const local = /^\$\{aws_iam_policy\.([^.]+)\.arn\}$/.exec(arn);
        if (local) documents.push((JSON.parse(policies[local[1]].policy as string) as { Statement: Statement[] }).Statement);
        else if (!READ_ONLY_AWS_POLICIES.has(arn.replace(/^arn:aws:iam::aws:policy\//, ''))) writers.push(`${label}: cannot prove ${arn} read-only`);
      }
      const writes = documents.flat().flatMap((s) => writesIam(s, catalog));
      if (writes.length > 0) writers.push(`${label}: ${[...new Set(writes)].slice(0, 5).join(', ')}`);
    }
  }
  return { reachable: reachable.sort(), writers };
}

function synthesize(root: string): { outdir: string; stacks: Map<string, TfJson> } {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mr-reach-')), 'cdktf.out');
  synthesizeOrganization(loadOrganization(root), { outdir });
  return { outdir, stacks: readStacks(outdir) };
}

describe('no merge-request run reaches a role that can write IAM', () => {
  const catalog = loadActionCatalog();
  let cloudRoot: string;
  let synthesized: { outdir: string; stacks: Map<string, TfJson> };

  beforeAll(() => {
    // Given a copy of the example organization on Terraform Cloud with dynamic credentials (plan and apply roles)
    cloudRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mr-reach-org-'));
    fs.cpSync(path.join(REPO_ROOT, 'accounts'), path.join(cloudRoot, 'accounts'), { recursive: true });
    const orgFile = path.join(cloudRoot, 'accounts', 'org.yaml');
    fs.appendFileSync(
      orgFile,
      '\nbackend:\n  terraformCloud:\n    organization: acme\n    project: iam\n    workspacePrefix: iam-\n    dynamicCredentials:\n      planRole: tfc-iam-plan\n      applyRole: tfc-iam-apply\n',
    );
    synthesized = synthesize(cloudRoot);
  }, 120_000);

  afterAll(() => {
    fs.rmSync(cloudRoot, { recursive: true, force: true });
    fs.rmSync(path.dirname(synthesized.outdir), { recursive: true, force: true });
  });

  it('finds the plan roles reachable and none of the reachable roles able to write IAM or assume a role', () => {
    // When every trust of every stack is checked against the subjects of a merge-request run
    const { reachable, writers } = findReachableWriters(synthesized.stacks, catalog);
    // Then the plan role of each account stack is reachable (the check sees TFC plans), and it writes nothing
    expect(reachable.filter((r) => r.endsWith('/tfc-iam-plan'))).toHaveLength(8);
    expect(reachable.some((r) => r.endsWith('/tfc-iam-apply'))).toBe(false);
    // And the drift job's role (main branch of the IAM repository only) is not reachable from a merge request
    expect(reachable.some((r) => r.endsWith('/gitlab-drift-reader'))).toBe(false);
    expect(writers).toEqual([]);
  });

  it('gives the account stacks the run credentials, never an assume_role into a deployer', () => {
    // Then the account stacks' providers use the run's own credentials (plan role in a plan, apply role in an apply)
    // (the organization-level stacks, iam-organization* and iam-security-baseline, are applied with each account's
    // bootstrapped deploy role: they have no per-account workspace and apply role yet)
    for (const [name, stack] of synthesized.stacks) {
      if (name.startsWith('iam-organization') || name === 'iam-security-baseline') continue;
      for (const provider of stack.provider?.aws ?? []) expect({ name, assumeRole: provider.assume_role }).toEqual({ name, assumeRole: undefined });
    }
  });

  it('catches a plan role that is given the deployer (the check bites)', () => {
    // Given the synthesized stacks with the plan role of one account pointed at the deployer policy
    const stacks = new Map(synthesized.stacks);
    const [name, stack] = [...stacks.entries()].find(([n]) => n === 'iam-app-prod') ?? [];
    if (!name || !stack?.resource) throw new Error('iam-app-prod missing');
    const attachments = stack.resource.aws_iam_role_policy_attachment;
    const planId = Object.entries(stack.resource.aws_iam_role).find(([, r]) => r.name === 'tfc-iam-plan')?.[0];
    const deployerId = Object.entries(stack.resource.aws_iam_policy).find(([, p]) => p.name === 'iam-platform-deployer')?.[0];
    const broken = structuredClone(stack) as TfJson & { resource: Record<string, Record<string, Record<string, unknown>>> };
    broken.resource.aws_iam_role_policy_attachment = { ...attachments, extra: { role: `\${aws_iam_role.${planId}.name}`, policy_arn: `\${aws_iam_policy.${deployerId}.arn}` } };
    stacks.set(name, broken);
    // Then the check reports it
    expect(findReachableWriters(stacks, catalog).writers).toEqual([expect.stringMatching(/^iam-app-prod\/tfc-iam-plan: iam:/)]);
  });

  it('would have caught the old run_phase:* role (finding 3)', () => {
    // Given a role trusting every run phase of a workspace with the deployer, as tfc-iam-run did
    const statement: Statement = {
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::530987654321:oidc-provider/app.terraform.io' },
      Condition: { StringLike: { 'app.terraform.io:sub': 'organization:acme:project:iam:workspace:iam-app-prod:run_phase:*' } },
    };
    // Then a merge request's plan reaches it
    expect(admits(statement, 'app.terraform.io', mergeRequestSubjects(['iam-app-prod'], []).tfc)).toBe(true);
  });
});
