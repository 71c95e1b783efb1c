import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import * as jsyaml from 'js-yaml';
import { buildJsonSchemas, loadOrganization } from '../../src/config';
import { PolicyDocument } from '../../src/core/policy';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

/** The example organization (a copy of accounts/ in test/fixtures/orgs/example, so a fork's own accounts/ does not break this). */
const ROOT = EXAMPLE_ORG_ROOT;

function listYaml(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = join(dir, name);
    return statSync(abs).isDirectory() ? listYaml(abs) : name.endsWith('.yaml') ? [abs] : [];
  });
}

describe('the example organization in accounts/', () => {
  const org = loadOrganization(ROOT);

  it('has the management, security, log-archive, shared-services and workload accounts in every environment', () => {
    expect(org.name).toBe('acme');
    expect(org.accounts.map((a) => `${a.ou}/${a.name}:${a.environment}`)).toEqual([
      'workloads/app-dev:nonprod',
      'workloads/app-prod:prod',
      'workloads/app-staging:staging',
      'workloads/data-prod:prod',
      'security/log-archive:prod',
      'management/management:prod',
      'security/security:prod',
      'infrastructure/shared-services:prod',
    ]);
    expect(new Set(org.accounts.map((a) => a.id)).size).toBe(org.accounts.length);
    for (const a of org.accounts) expect(a.backend).toEqual({ type: 'local' });
  });

  it('has about 25 distinct role definitions, with the auditor and break-glass roles in every account', () => {
    const definitions = new Set(org.accounts.flatMap((a) => a.roles.map((r) => r.template ?? r.source.file)));
    expect(definitions.size).toBeGreaterThanOrEqual(24);
    for (const a of org.accounts) {
      expect(a.roles.map((r) => r.name)).toEqual(expect.arrayContaining(['auditor', 'break-glass', 'security-scanner', 'tfc-iam-plan', 'tfc-iam-apply']));
    }
  });

  it('gives every role a permission boundary or a written opt-out', () => {
    for (const a of org.accounts) {
      expect(a.permissionBoundary?.name).toBe('iam-platform-boundary');
      for (const role of a.roles) {
        if (role.boundary.kind === 'none') expect(role.boundary.reason.length).toBeGreaterThan(40);
        else expect(role.boundary.name).toBe('iam-platform-boundary');
      }
    }
    const optOuts = new Set(org.accounts.flatMap((a) => a.roles.filter((r) => r.boundary.kind === 'none').map((r) => r.name)));
    expect([...optOuts].sort()).toEqual(['break-glass', 'iam-platform-deploy', 'tfc-iam-apply']);
  });

  it('requires MFA on every human trust and an external id on every third-party trust', () => {
    for (const a of org.accounts) {
      for (const role of a.roles) {
        for (const trust of role.trust.accounts) {
          if (trust.kind === 'human') expect(trust.requireMfa).toBe(true);
          if (trust.kind === 'third-party') expect(trust.externalId).toMatch(/^[0-9a-f]{32}$/);
        }
      }
    }
  });

  it('has valid policy documents with every placeholder filled in and no Allow on *:*', () => {
    for (const a of org.accounts) {
      const documents = [
        ...a.policies.map((p) => p.document),
        ...a.roles.flatMap((r) => r.inlinePolicies.map((p) => p.document)),
        ...(a.permissionBoundary ? [a.permissionBoundary.document] : []),
      ];
      for (const document of documents) {
        const text = JSON.stringify(document);
        expect(text).not.toContain('{{');
        const policy = PolicyDocument.fromJson(document);
        for (const statement of policy.toJSON().Statement as readonly { Effect: string; Action?: string | string[] }[]) {
          const actions = statement.Action === undefined ? [] : Array.isArray(statement.Action) ? statement.Action : [statement.Action];
          if (statement.Effect === 'Allow') expect(actions).not.toContain('*');
        }
      }
    }
  });

  it('uses GitLab and Terraform Cloud OIDC with scoped subjects', () => {
    const appProd = org.accounts.find((a) => a.name === 'app-prod');
    const deploy = appProd?.roles.find((r) => r.name === 'gitlab-deploy');
    expect(deploy?.trust.oidc).toMatchObject([{ provider: 'gitlab', url: 'https://gitlab.com', audiences: ['https://gitlab.com'], subjects: ['project_path:acme/apps/shop:ref_type:tag:ref:v*'] }]);
    // Plan can never apply: one role per Terraform Cloud run phase, each trusted for its phase only.
    const plan = appProd?.roles.find((r) => r.name === 'tfc-iam-plan');
    expect(plan?.trust.oidc).toMatchObject([{ provider: 'terraform-cloud', audiences: ['aws.workload.identity'], subjects: ['organization:acme:project:iam:workspace:iam-app-prod:run_phase:plan'] }]);
    expect(plan?.managedPolicies.map((p) => p.name)).toEqual(['iam-platform-reader', 'iam-platform-plan-reader']);
    const apply = appProd?.roles.find((r) => r.name === 'tfc-iam-apply');
    expect(apply?.trust.oidc).toMatchObject([{ provider: 'terraform-cloud', audiences: ['aws.workload.identity'], subjects: ['organization:acme:project:iam:workspace:iam-app-prod:run_phase:apply'] }]);
    expect(org.accounts.find((a) => a.name === 'data-prod')?.roles.map((r) => r.name)).not.toContain('gitlab-deploy');
    // The scheduled drift job's role: in every account, trusted only for the IAM repository's main branch, read-only
    for (const a of org.accounts) {
      const drift = a.roles.find((r) => r.name === 'gitlab-drift-reader');
      expect(drift?.trust).toMatchObject({ accounts: [], services: [], saml: [], oidc: [{ provider: 'gitlab', subjects: ['project_path:acme/platform/iam:ref_type:branch:ref:main'] }] });
      expect(drift?.managedPolicies.map((p) => p.name)).toEqual(['iam-platform-reader', 'iam-platform-compliance-reader']);
    }
  });

  it('passes the emitted JSON Schemas, and every file names its schema with a correct relative path', () => {
    const schemas = buildJsonSchemas();
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validators = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, ajv.compile(schema)]));
    const files = listYaml(join(ROOT, 'accounts'));
    expect(files.length).toBeGreaterThan(30);
    for (const abs of files) {
      const text = readFileSync(abs, 'utf8');
      const header = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
      expect({ file: relative(ROOT, abs), header: header?.[1] !== undefined }).toEqual({ file: relative(ROOT, abs), header: true });
      const schemaPath = join(abs, '..', header?.[1] ?? '');
      const schemaName = relative(join(ROOT, 'schemas'), schemaPath);
      const validate = validators[schemaName];
      expect({ file: relative(ROOT, abs), schema: validate !== undefined }).toEqual({ file: relative(ROOT, abs), schema: true });
      const valid = validate(jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }));
      expect({ file: relative(ROOT, abs), errors: valid ? null : validate.errors }).toEqual({ file: relative(ROOT, abs), errors: null });
    }
  });
});
