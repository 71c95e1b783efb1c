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
  adopting: Record<'roles' | 'policies' | 'oidcProviders', Record<string, Record<string, string>>>;
  firstApply: { changes: { name: string; attribute: string }[]; platformTags: { name: string; keys: string[] }[] };
}

describe('iamctl import against moto', () => {
  let moto: MotoServer;
  let root: string;
  const saved = { ...process.env };
  let first: { code: number; json: ImportJson; err: string };

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
    first = await runImport();

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
    // The stack synthesized from the files is live IAM: the trusts keep the Sids IAM holds (none, mostly), and the
    // resources keep their live tags while they are being adopted.
    expect(first.json.firstApply).toEqual({ changes: [], platformTags: [] });
    // And imports.yaml lists every imported role, policy and OIDC provider as adopting, with its live tags
    const importsYaml = readFileSync(join(root, ACCOUNT_DIR, 'imports.yaml'), 'utf8');
    expect(importsYaml).toContain('adopting:\n  roles:\n    batch-ec2: {}\n');
    expect({ roles: Object.keys(first.json.adopting.roles).length, policies: Object.keys(first.json.adopting.policies).length, oidc: Object.keys(first.json.adopting.oidcProviders).length }).toEqual({ roles: 19, policies: 3, oidc: 1 });
    expect(importsYaml).toContain('    data-analyst:\n      owner: data-team\n      team: analytics\n');
    expect(importsYaml).toContain('  oidcProviders:\n    arn:aws:iam::123456789012:oidc-provider/gitlab.com: {}\n');

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
        '      sid: ""',
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

    // And the adopting resources sit on the provider without default tags, with exactly their live tags, and the
    // desired inventory drift reads from the stack expects the same
    const synthesized = json as unknown as { provider: { aws: { alias?: string; default_tags?: { tags: Record<string, string> }[] }[] }; resource: { aws_iam_role: Record<string, { name: string; provider?: string; tags?: Record<string, string> }> } };
    expect(synthesized.provider.aws.find((p) => p.alias === 'adopting')?.default_tags).toEqual([{ tags: {} }]);
    const analyst = Object.values(synthesized.resource.aws_iam_role).find((r) => r.name === 'data-analyst');
    expect({ provider: analyst?.provider, tags: analyst?.tags }).toEqual({ provider: 'aws.adopting', tags: { owner: 'data-team', team: 'analytics' } });
    expect(stack.desiredInventory().roles.find((r) => r.name === 'data-analyst')?.tags).toEqual({ owner: 'data-team', team: 'analytics' });
  });

  it('terraform plans only imports and no change; after apply it plans nothing and drift is clean; --finish then plans the platform tags only', async () => {
    // Given the stack synthesized above, in a terraform working copy against moto
    const installation = locateTerraform({ root: resolve(__dirname, '..', '..') });
    const env = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      AWS_REGION: MOTO_REGION,
      AWS_DEFAULT_REGION: MOTO_REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const workspace = createTerraformWorkspace(installation, { stackDir: join(root, 'cdktf.out', 'stacks', 'iam-legacy-app'), workDir: join(root, 'tf'), env });
    type Change = { address: string; type: string; change: { actions: string[]; importing?: { id: string }; before: Record<string, unknown> | null; after: Record<string, unknown> | null } };
    const changedKeys = (c: Change): string[] =>
      Object.keys({ ...(c.change.before ?? {}), ...(c.change.after ?? {}) }).filter((k) => JSON.stringify(c.change.before?.[k]) !== JSON.stringify(c.change.after?.[k]) && c.change.after?.[k] !== undefined);

    // When terraform plans
    const planned = await workspace.plan();
    const changes = ((await workspace.showPlan(planned.planFile)) as { resource_changes: Change[] }).resource_changes;

    // Then every resource is imported, and nothing is created, destroyed or updated
    expect(changes.filter((c) => c.change.importing).length).toBe(19 + 9 + 11 + 3 + 1);
    expect(changes.filter((c) => !c.change.importing).map((c) => c.address)).toEqual([]);
    expect(changes.filter((c) => c.change.actions.some((a) => a !== 'no-op')).map((c) => `${c.address} ${c.change.actions.join('+')} ${changedKeys(c).join(',')}`)).toEqual([]);

    // When it applies, a second plan has nothing to do (terraform plan -detailed-exitcode exits 0)
    await workspace.apply(planned.planFile);
    expect((await workspace.plan()).changes).toBe(false);

    // And iamctl drift finds the account clean
    const drift = async (): Promise<{ code: number; out: string }> => {
      const out: string[] = [];
      const code = await runCli(['drift', '--account', 'legacy-app', '--endpoint-url', moto.endpoint], [createDriftCommand()], {
        output: { result: (t) => out.push(t), message: () => undefined, interactive: false },
        cwd: root,
      });
      return { code, out: out.join('\n') };
    };
    const adopted = await drift();
    expect(adopted.out).toContain(`Drift in account legacy-app (${MOTO_ACCOUNT_ID})`);
    expect(adopted).toEqual({ code: 0, out: expect.stringContaining('0 drift item(s)') as unknown as string });

    // When the adoption is finished and the stack synthesized again
    const finishOut: string[] = [];
    const finishCode = await runCli(['import', '--account', 'legacy-app', '--finish'], [importCommand], {
      output: { result: (t) => finishOut.push(t), message: () => undefined, interactive: false },
      cwd: root,
    });
    expect({ finishCode, out: finishOut.join('\n') }).toEqual({ finishCode: 0, out: `${ACCOUNT_DIR}/imports.yaml updated: 23 resource(s) of account legacy-app leave adoption; the next plan adds the platform tags to them (tags only).` });
    expect(readFileSync(join(root, ACCOUNT_DIR, 'imports.yaml'), 'utf8')).not.toContain('\nadopting:');
    const account = loadOrganization(root).accounts.find((a) => a.name === 'legacy-app');
    if (!account) throw new Error('legacy-app did not load');
    const app = new App({ outdir: join(root, 'cdktf.out'), stackTraces: false });
    new AccountStack(app, account, { guardrails: true });
    app.synth();

    // Then the plan (same state, the new stack) only updates tags: 19 roles, 3 policies and the OIDC provider get the platform's tags
    const finished = createTerraformWorkspace(installation, { stackDir: join(root, 'cdktf.out', 'stacks', 'iam-legacy-app'), workDir: join(root, 'tf'), env });
    const finishing = await finished.plan();
    const finishChanges = ((await finished.showPlan(finishing.planFile)) as { resource_changes: Change[] }).resource_changes.filter((c) => c.change.actions.some((a) => a !== 'no-op'));
    expect(finishChanges).toHaveLength(19 + 3 + 1);
    for (const c of finishChanges) expect(`${c.address} ${c.change.actions.join('+')} ${changedKeys(c).sort().join(',')}`).toBe(`${c.address} update tags,tags_all`);
    const analyst = finishChanges.find((c) => c.change.after?.name === 'data-analyst');
    expect(Object.keys((analyst?.change.after?.tags_all ?? {}) as Record<string, string>).sort()).toEqual(['account', 'iam-platform:source', 'managed-by', 'owner', 'source-file', 'team']);

    // And after that apply, nothing is left to do and drift is clean
    await finished.apply(finishing.planFile);
    expect((await finished.plan()).changes).toBe(false);
    expect((await drift()).code).toBe(0);

    // And a later import run leaves the finished resources finished
    const again = await runImport();
    expect(again.json.imports).toEqual(first.json.imports);
    expect(readFileSync(join(root, ACCOUNT_DIR, 'imports.yaml'), 'utf8')).not.toContain('\nadopting:');
  }, 300_000);
});
