/**
 * One desired state: for every IAM resource of every account stack of the example organization and the
 * fixture organizations, the desired inventory (the drift module's S3 object, and what `iamctl drift`
 * synthesizes) holds the same values as cdk.tf.json. Expected values are read from cdk.tf.json here,
 * with this file's own small reader, not through src/core/drift.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrganization } from '../../src/config';
import { type DesiredInventory, documentsEqual } from '../../src/core/drift';
import type { PolicyDocumentJson } from '../../src/core/policy';
import { readDesiredInventoryFromStackFile, synthesizeDesiredInventory, synthesizeOrganization } from '../../stacks';

const REPO = path.join(__dirname, '..', '..');
/**
 * Organizations that synthesize (test/fixtures/config/inheritance is a loader fixture whose ou.yaml
 * template fails the MFA guardrail on purpose, so it has no stacks).
 */
const ORGS: readonly string[] = [REPO, path.join(REPO, 'test', 'fixtures', 'config', 'base'), path.join(REPO, 'test', 'fixtures', 'stacks', 'cli-org')];

type Block = Record<string, unknown>;
interface StackJson {
  readonly provider: { readonly aws: readonly Block[] };
  readonly resource: Record<string, Record<string, Block> | undefined>;
}

/** Terraform's escapes undone: `$${` is a literal `${`, `%%{` a literal `%{`. */
const literal = (text: string): string => text.split('$${').join('${').split('%%{').join('%{');

interface Expected {
  readonly roles: Map<string, { path: string; maxSession: number; trust: PolicyDocumentJson; tags: Record<string, string>; boundary: string | null; inline: Map<string, PolicyDocumentJson>; attached: string[] }>;
  readonly policies: Map<string, { path: string; document: PolicyDocumentJson; tags: Record<string, string> }>;
  readonly oidc: Map<string, { clientIds: string[] }>;
}

function expectedOf(stack: StackJson): { accountId: string; expected: Expected } {
  const aws = stack.provider.aws;
  const accountId = String((aws[0].allowed_account_ids as string[])[0]);
  const defaults = new Map(aws.map((p) => [p.alias ? `aws.${String(p.alias)}` : 'aws', ((p.default_tags as { tags: Record<string, string> }[] | undefined)?.[0]?.tags ?? {}) as Record<string, string>]));
  const tagsOf = (r: Block): Record<string, string> => {
    const merged: Record<string, string> = { ...(defaults.get(String(r.provider ?? 'aws')) ?? {}), ...((r.tags as Record<string, string> | undefined) ?? {}) };
    return Object.fromEntries(Object.entries(merged).map(([k, v]) => [literal(k), literal(v)]));
  };
  const res = (type: string): [string, Block][] => Object.entries(stack.resource[type] ?? {});
  const policyArnById = new Map(res('aws_iam_policy').map(([id, p]) => [id, `arn:aws:iam::${accountId}:policy${String(p.path ?? '/')}${String(p.name)}`]));
  const roleNameById = new Map(res('aws_iam_role').map(([id, r]) => [id, String(r.name)]));
  const ref = (value: unknown): string => {
    const text = String(value);
    const policy = /^\$\{aws_iam_policy\.([^.]+)\.arn\}$/.exec(text);
    if (policy) return policyArnById.get(policy[1]) ?? `unresolved ${text}`;
    // The AWS provider sets a role's id to its name
    const role = /^\$\{aws_iam_role\.([^.]+)\.(?:name|id)\}$/.exec(text);
    if (role) return roleNameById.get(role[1]) ?? `unresolved ${text}`;
    return literal(text);
  };
  const roles: Expected['roles'] = new Map();
  for (const [, r] of res('aws_iam_role')) {
    roles.set(String(r.name), {
      path: String(r.path ?? '/'),
      maxSession: Number(r.max_session_duration ?? 3600),
      trust: JSON.parse(literal(String(r.assume_role_policy))) as PolicyDocumentJson,
      tags: tagsOf(r),
      boundary: r.permissions_boundary === undefined ? null : ref(r.permissions_boundary),
      inline: new Map(),
      attached: [],
    });
  }
  for (const [, p] of res('aws_iam_role_policy')) roles.get(ref(p.role))?.inline.set(String(p.name), JSON.parse(ref(p.policy)) as PolicyDocumentJson);
  for (const [, a] of res('aws_iam_role_policy_attachment')) roles.get(ref(a.role))?.attached.push(ref(a.policy_arn));
  const policies: Expected['policies'] = new Map(
    res('aws_iam_policy').map(([id, p]) => [policyArnById.get(id) ?? id, { path: String(p.path ?? '/'), document: JSON.parse(literal(String(p.policy))) as PolicyDocumentJson, tags: tagsOf(p) }]),
  );
  const oidc: Expected['oidc'] = new Map(res('aws_iam_openid_connect_provider').map(([, o]) => [`arn:aws:iam::${accountId}:oidc-provider/${String(o.url).replace(/^https:\/\//, '')}`, { clientIds: o.client_id_list as string[] }]));
  return { accountId, expected: { roles, policies, oidc } };
}

/** The expected values of several stacks deploying into one account: every stack's resources, together. */
function expectedOfAll(stacks: readonly StackJson[]): { accountId: string; expected: Expected } {
  const parts = stacks.map(expectedOf);
  const accountId = parts[0].accountId;
  for (const part of parts) expect(part.accountId).toBe(accountId);
  return {
    accountId,
    expected: {
      roles: new Map(parts.flatMap((p) => [...p.expected.roles])),
      policies: new Map(parts.flatMap((p) => [...p.expected.policies])),
      oidc: new Map(parts.flatMap((p) => [...p.expected.oidc])),
    },
  };
}

function checkInventory(desired: DesiredInventory, stacks: readonly StackJson[]): number {
  const { accountId, expected } = expectedOfAll(stacks);
  expect(desired.accountId).toBe(accountId);
  // Every role of the stack, and nothing else
  expect(desired.roles.map((r) => r.name).sort()).toEqual([...expected.roles.keys()].sort());
  for (const role of desired.roles) {
    const want = expected.roles.get(role.name);
    if (!want) throw new Error(`unexpected role ${role.name}`);
    expect({ name: role.name, path: role.path, arn: role.arn, maxSession: role.maxSessionDuration, tags: role.tags, boundary: role.boundaryArn ?? null }).toEqual({
      name: role.name,
      path: want.path,
      arn: `arn:aws:iam::${accountId}:role${want.path}${role.name}`,
      maxSession: want.maxSession,
      tags: want.tags,
      boundary: want.boundary,
    });
    expect(documentsEqual(role.trustPolicy, want.trust)).toBe(true);
    expect(role.inlinePolicies.map((p) => p.name).sort()).toEqual([...want.inline.keys()].sort());
    for (const p of role.inlinePolicies) expect(documentsEqual(p.document, want.inline.get(p.name) as PolicyDocumentJson)).toBe(true);
    expect([...role.managedPolicyArns].sort()).toEqual([...new Set(want.attached)].sort());
  }
  expect(desired.policies.map((p) => p.arn).sort()).toEqual([...expected.policies.keys()].sort());
  for (const policy of desired.policies) {
    const want = expected.policies.get(policy.arn);
    expect(policy.path).toBe(want?.path);
    expect(policy.tags).toEqual(want?.tags);
    expect(documentsEqual(policy.document, want?.document as PolicyDocumentJson)).toBe(true);
  }
  expect(desired.oidcProviders.map((o) => [o.arn, o.clientIds])).toEqual([...expected.oidc.entries()].map(([arn, o]) => [arn, o.clientIds]));
  return expected.roles.size + expected.policies.size + expected.oidc.size;
}

const readStack = (file: string): StackJson => JSON.parse(fs.readFileSync(file, 'utf8')) as StackJson;
const pinnedTo = (stack: StackJson): string => String((stack.provider.aws[0].allowed_account_ids as string[])[0]);
const publishedOf = (stack: StackJson): DesiredInventory[] =>
  Object.values(stack.resource.aws_s3_object ?? {})
    .filter((o) => String(o.key).startsWith('desired/'))
    .map((o) => JSON.parse(Buffer.from(String(o.content_base64), 'base64').toString('utf8')) as DesiredInventory);

describe.each(ORGS.map((root) => [path.relative(REPO, root) || 'accounts/ (example)', root] as const))('desired inventory of %s', (_label, root) => {
  const org = loadOrganization(root);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'desired-property-'));
  // Every stack: the organization-level stacks create IAM in the management and security accounts too.
  const full = synthesizeOrganization(org, { outdir: path.join(outdir, 'full') });
  // Account stacks only: their drift objects must still hold the organization-level stacks' IAM.
  const partial = synthesizeOrganization(org, { outdir: path.join(outdir, 'accounts'), accounts: org.accounts.map((a) => a.name) });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it.each(org.accounts.map((a) => [a.name, a] as const))('%s: the drift module object and iamctl drift hold every IAM resource of every stack pinned to the account', (_name, account) => {
    // Expected: every stack of the full synth whose provider is pinned to the account, read here by hand
    const stacks = full.stacks.map((s) => readStack(s.file)).filter((s) => pinnedTo(s) === account.id);
    const own = full.stacks.find((s) => s.stack === account.stackName)!;
    expect(stacks.length).toBeGreaterThanOrEqual(1);
    // What iamctl drift synthesizes on the fly, with the organization
    const cli = synthesizeDesiredInventory(account, { organization: org });
    expect(checkInventory(cli, stacks)).toBeGreaterThan(0);
    // What iamctl drift --stack reads from a synth output: the file and its siblings pinned to the account
    const fromFile = readDesiredInventoryFromStackFile(own.file, account);
    expect(fromFile.desired).toEqual(cli);
    expect(fromFile.files.map((f) => path.basename(path.dirname(f))).sort()).toEqual(full.stacks.filter((s) => pinnedTo(readStack(s.file)) === account.id).map((s) => s.stack).sort());
    // What the drift module publishes for the Lambda and the Config rule, in a full synth and in a synth of
    // the account stacks alone: the very same inventory
    for (const result of [full, partial]) {
      const published = publishedOf(readStack(result.stacks.find((s) => s.stack === account.stackName)!.file));
      expect(published).toHaveLength(account.drift.enabled ? 1 : 0);
      for (const object of published) {
        checkInventory(object, stacks);
        expect(object).toEqual(cli);
      }
    }
  });
});

describe('organization-level IAM in the example organization', () => {
  // Written by hand from stacks/organization-stack.ts and stacks/security-baseline.ts: the IAM those stacks create
  // and the account each lands in. If either moved, the drift of that account would call it unmanaged.
  const org = loadOrganization(REPO);
  const accountOf = (name: string) => org.accounts.find((a) => a.name === name)!;

  /** Role names the organization-level stacks add to an account's desired inventory. */
  const addedRoles = (name: string): string[] => {
    const own = new Set(synthesizeDesiredInventory(accountOf(name)).roles.map((r) => r.name));
    return synthesizeDesiredInventory(accountOf(name), { organization: org })
      .roles.map((r) => r.name)
      .filter((n) => !own.has(n));
  };

  it('the management account holds the organization trail\'s CloudWatch Logs delivery role', () => {
    expect(addedRoles('management')).toEqual(['organization-trail-cloudwatch-logs']);
  });

  it('the security account holds the organization Config aggregator role', () => {
    expect(addedRoles('security')).toEqual(['iam-platform-organization-config-aggregator']);
  });

  it('a workload account gets nothing from the organization-level stacks', () => {
    expect(addedRoles('app-dev')).toEqual([]);
    expect(addedRoles('log-archive')).toEqual([]);
  });
});
