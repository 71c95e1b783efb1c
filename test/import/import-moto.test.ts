/**
 * `iamctl import` against moto: 20 hand-made roles, policies, a boundary and an OIDC provider are
 * imported into a copy of test/fixtures/import/org; the written files load, reproduce live IAM by the
 * drift engine, re-running changes nothing, and the synthesized stack carries one import block per
 * live resource it creates.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { App } from 'cdktf';
import { importCommand } from '../../src/cli/commands/import';
import { runCli } from '../../src/cli/program';
import { loadOrganization } from '../../src/config';
import { AccountStack } from '../../stacks/account-stack';
import { createDriftCommand } from '../../src/cli/commands/drift';
import { createTerraformWorkspace, locateTerraform } from '../../src/io/terraform';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, MOTO_REGION, type MotoServer, startMotoServer, useMotoEnvironment } from '../support/moto-server';
import { createHandMadeIam, HAND_MADE_ROLES } from './support/hand-made-iam';

const FIXTURE = resolve(__dirname, '..', 'fixtures', 'import', 'org');
const ACCOUNT_DIR = join('accounts', 'legacy', 'legacy-app');

interface ImportJson {
  files: { file: string; status: string }[];
  roles: { name: string }[];
  policies: { name: string }[];
  alreadyDefined: { name: string; template?: string }[];
  skipped: { type: string; name: string; reason: string }[];
  imports: Record<string, string[]>;
  firstApply: { changes: { name: string; attribute: string }[]; platformTags: { name: string; keys: string[] }[] };
}

describe('iamctl import against moto', () => {
  let moto: MotoServer;
  let root: string;
  const saved = { ...process.env };

  async function runImport(): Promise<{ code: number; json: ImportJson; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['import', '--account', 'legacy-app', '--format', 'json', '--endpoint-url', moto.endpoint], [importCommand], {
      output: { result: (t) => out.push(t), message: (t) => err.push(t), interactive: false },
      cwd: root,
    });
    if (code !== 0) throw new Error(`iamctl import exited ${code}: ${err.join('\n')}`);
    return { code, json: JSON.parse(out.join('\n')) as ImportJson, err: err.join('\n') };
  }

  beforeAll(async () => {
    moto = await startMotoServer();
    useMotoEnvironment();
    root = mkdtempSync(join(tmpdir(), 'iamctl-import-'));
    cpSync(FIXTURE, root, { recursive: true });
    await createHandMadeIam(new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS }));
  });
  afterAll(async () => {
    process.env = saved;
    await moto?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('writes files that reproduce live IAM, reports the template role and what it skipped, and is idempotent', async () => {
    // Given 20 hand-made roles, when iamctl import runs
    const first = await runImport();

    // Then 18 role files (one trust is not expressible, one is refused by the guardrails), 3 policy files and imports.yaml are created
    const expressible = HAND_MADE_ROLES.map((r) => r.name).filter((n) => n !== 'office-only' && n !== 'backup-operator').sort();
    expect(first.json.roles.map((r) => r.name).sort()).toEqual(expressible);
    expect(first.json.policies.map((p) => p.name).sort()).toEqual(['app-read-data', 'legacy-boundary', 'unattached-policy']);
    expect(first.json.files.filter((f) => f.status === 'created')).toHaveLength(18 + 3 + 1);
    expect(first.json.alreadyDefined).toEqual([expect.objectContaining({ name: 'ssm-instance', template: 'ssm-instance' })]);
    expect(first.json.skipped.map((s) => `${s.type} ${s.name}`).sort()).toEqual(['role AWSServiceRoleForAutoScaling', 'role backup-operator', 'role iam-platform-deploy', 'role office-only']);
    expect(first.json.skipped.find((s) => s.name === 'office-only')?.reason).toBe('trust policy: statement 0 has conditions the role model does not express (IpAddress aws:SourceIp)');
    expect(first.json.imports.roles).toHaveLength(19);
    expect(first.json.imports.oidcProviders).toEqual(['arn:aws:iam::123456789012:oidc-provider/gitlab.com']);
    // The stack synthesized from the files differs from live IAM only in the platform's tags, and in the
    // statement ids of trusts that IAM holds without the Sids the role model writes (same grants).
    const sidRewrites = HAND_MADE_ROLES.filter((r) => !['office-only', 'backup-operator', 'ci-deployer'].includes(r.name)).map((r) => r.name).sort();
    expect(first.json.firstApply.changes.map((c) => `${c.name} ${c.attribute}`).sort()).toEqual(sidRewrites.map((n) => `${n} trustPolicy.Sid`));
    // (the drift engine compares role tags; policy tags it does not read)
    expect(first.json.firstApply.platformTags.map((t) => t.name).sort()).toEqual([...expressible, 'ssm-instance'].sort());
    expect(first.json.firstApply.platformTags.find((t) => t.name === 'data-analyst')?.keys).toEqual(['account', 'iam-platform:source', 'managed-by', 'source-file']);

    // And a role file says where it came from and holds exactly the live role
    const vendor = readFileSync(join(root, ACCOUNT_DIR, 'roles', 'vendor-monitoring.yaml'), 'utf8');
    expect(vendor).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.\.\/\.\.\/\.\.\/schemas\/role\.schema\.json\n#\n# Imported by iamctl import from arn:aws:iam::123456789012:role\/vendor-monitoring \(role id \w+\)\.\n/);
    expect(vendor.slice(vendor.indexOf('\ndescription:') + 1)).toBe(
      [
        'description: Third-party monitoring (read-only)',
        'owner: app-team',
        'trust:',
        '  accounts:',
        '    - principals:',
        '        - "464622532012"',
        '      kind: third-party',
        '      externalId: vendor-7f3c2a9e51b04d6c',
        'managedPolicies:',
        '  - aws:SecurityAudit',
        'permissionBoundary:',
        '  none:',
        '    reason: "Imported by iamctl import without a permission boundary, as it is in IAM: review it and remove this opt-out to get the default boundary"',
        '',
      ].join('\n'),
    );

    // When it runs again, nothing changes
    const second = await runImport();
    expect(second.json.files.map((f) => f.status)).toEqual(first.json.files.map(() => 'unchanged'));
    expect(second.json.imports).toEqual(first.json.imports);
  });

  it('synthesizes one import block per imported resource the stack creates', () => {
    const org = loadOrganization(root);
    const account = org.accounts.find((a) => a.name === 'legacy-app');
    if (!account) throw new Error('legacy-app did not load');
    const app = new App({ outdir: join(root, 'cdktf.out'), stackTraces: false });
    const stack = new AccountStack(app, account, { guardrails: true });
    app.synth();
    const json = JSON.parse(readFileSync(join(root, 'cdktf.out', 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8')) as { import?: { to: string; id: string }[] };
    const blocks = json.import ?? [];
    // 19 roles, 9 inline policies, 11 attachments (10 hand-made + the template role's), 3 policies, 1 OIDC provider.
    const byType = (type: string): number => blocks.filter((b) => b.to.startsWith(`${type}.`)).length;
    expect({
      roles: byType('aws_iam_role'),
      inline: byType('aws_iam_role_policy'),
      attachments: byType('aws_iam_role_policy_attachment'),
      policies: byType('aws_iam_policy'),
      oidc: byType('aws_iam_openid_connect_provider'),
    }).toEqual({ roles: 19, inline: 9, attachments: 11, policies: 3, oidc: 1 });
    expect(blocks).toContainEqual({ to: expect.stringMatching(/^aws_iam_role_policy_attachment\.role-data-analyst_attach-app-read-data_/), id: 'data-analyst/arn:aws:iam::123456789012:policy/app-read-data' });
    expect(blocks).toContainEqual({ to: expect.stringMatching(/^aws_iam_role_policy\.role-gitlab-deploy_inline-deploy-site_/), id: 'gitlab-deploy:deploy-site' });
  });

  it('terraform plans only imports (no create, no destroy), changes only the predicted tags and trust Sids, and after apply plans nothing and drift is clean', async () => {
    // Given the stack synthesized above, in a terraform working copy against moto
    const installation = locateTerraform({ root: resolve(__dirname, '..', '..') });
    const workspace = createTerraformWorkspace(installation, {
      stackDir: join(root, 'cdktf.out', 'stacks', 'iam-legacy-app'),
      workDir: join(root, 'tf'),
      env: {
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
        AWS_REGION: MOTO_REGION,
        AWS_DEFAULT_REGION: MOTO_REGION,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });

    // When terraform plans
    const planned = await workspace.plan();
    const plan = (await workspace.showPlan(planned.planFile)) as {
      resource_changes: { address: string; type: string; change: { actions: string[]; importing?: { id: string }; before: Record<string, unknown> | null; after: Record<string, unknown> | null } }[];
    };

    // Then every resource is imported, none is created or destroyed
    const changes = plan.resource_changes;
    expect(changes.filter((c) => c.change.importing).length).toBe(19 + 9 + 11 + 3 + 1);
    expect(changes.filter((c) => !c.change.importing).map((c) => c.address)).toEqual([]);
    expect(changes.filter((c) => c.change.actions.some((a) => a === 'create' || a === 'delete')).map((c) => c.address)).toEqual([]);
    // And updates touch only the platform's tags and, on the roles the import predicted, the trust policy's Sids
    const changedKeys = (c: (typeof changes)[number]): string[] =>
      Object.keys({ ...(c.change.before ?? {}), ...(c.change.after ?? {}) }).filter((k) => JSON.stringify(c.change.before?.[k]) !== JSON.stringify(c.change.after?.[k]) && c.change.after?.[k] !== undefined);
    const updates = changes.filter((c) => c.change.actions.includes('update')).map((c) => `${c.type} ${String(c.change.after?.name ?? c.change.after?.url)} ${changedKeys(c).sort().join(',')}`);
    // 19 roles, 3 policies and the OIDC provider get tags: every imported resource that carries tags.
    expect(updates).toHaveLength(19 + 3 + 1);
    const sidRoles = new Set(HAND_MADE_ROLES.filter((r) => !['office-only', 'backup-operator', 'ci-deployer'].includes(r.name)).map((r) => r.name));
    for (const update of updates) {
      const [type, name, keys] = update.split(' ');
      const allowed = type === 'aws_iam_role' && sidRoles.has(name ?? '') ? 'assume_role_policy,tags,tags_all' : 'tags,tags_all';
      expect(`${type} ${name} ${keys}`).toBe(`${type} ${name} ${allowed}`);
    }

    // When it applies, a second plan has nothing to do
    await workspace.apply(planned.planFile);
    expect((await workspace.plan()).changes).toBe(false);

    // And iamctl drift finds the account clean
    const out: string[] = [];
    const code = await runCli(['drift', '--account', 'legacy-app', '--endpoint-url', moto.endpoint], [createDriftCommand()], {
      output: { result: (t) => out.push(t), message: () => undefined, interactive: false },
      cwd: root,
    });
    expect(out.join('\n')).toContain(`Drift in account legacy-app (${MOTO_ACCOUNT_ID})`);
    expect({ code, out: out.join('\n') }).toEqual({ code: 0, out: expect.stringContaining('0 drift item(s)') as unknown as string });
  }, 240_000);
});
