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
import { synthesizeDesiredInventory, synthesizeOrganization } from '../../stacks';

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
    const role = /^\$\{aws_iam_role\.([^.]+)\.name\}$/.exec(text);
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

function checkInventory(desired: DesiredInventory, stack: StackJson): number {
  const { accountId, expected } = expectedOf(stack);
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

describe.each(ORGS.map((root) => [path.relative(REPO, root) || 'accounts/ (example)', root] as const))('desired inventory of %s', (_label, root) => {
  const org = loadOrganization(root);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'desired-property-'));
  // Account stacks only: the organization stacks hold no account IAM.
  const result = synthesizeOrganization(org, { outdir: path.join(outdir, 'cdktf.out'), accounts: org.accounts.map((a) => a.name) });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it.each(org.accounts.map((a) => [a.name, a] as const))('%s: the drift module object and iamctl drift hold every IAM resource of cdk.tf.json', (_name, account) => {
    const stackFile = result.stacks.find((s) => s.stack === account.stackName)?.file;
    const stack = JSON.parse(fs.readFileSync(String(stackFile), 'utf8')) as StackJson;
    // What iamctl drift synthesizes on the fly
    const cli = synthesizeDesiredInventory(account, { defaultRegion: org.defaultRegion });
    expect(checkInventory(cli, stack)).toBeGreaterThan(0);
    // What the drift module publishes for the Lambda and the Config rule: the very same inventory
    const objects = Object.values(stack.resource.aws_s3_object ?? {}).filter((o) => String(o.key).startsWith('desired/'));
    expect(objects).toHaveLength(account.drift.enabled ? 1 : 0);
    for (const object of objects) {
      const published = JSON.parse(Buffer.from(String(object.content_base64), 'base64').toString('utf8')) as DesiredInventory;
      checkInventory(published, stack);
      expect(published).toEqual(cli);
    }
  });
});
