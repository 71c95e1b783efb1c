/**
 * The policy record table is placed in the account org.yaml `policyRecord:` names (the security account of the
 * example organization), with point-in-time recovery, its customer managed key and deletion protection; no other
 * account's stack has it; an unknown account is a config error naming the file, the path and the accounts.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrganization } from '../../src/config';
import { synthesizeOrganization } from '../../stacks';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

describe('policy record placement (org.yaml policyRecord)', () => {
  it('creates the table in the security stack only', () => {
    const org = loadOrganization(EXAMPLE_ORG_ROOT);
    expect(org.policyRecord).toEqual({ account: 'security', accountId: '310987654321', region: 'eu-west-1', tableName: 'iam-platform-policy-registry' });
    const outdir = join(mkdtempSync(join(tmpdir(), 'registry-placement-')), 'cdktf.out');
    const result = synthesizeOrganization(org, { outdir, accounts: ['security', 'app-prod'] });
    const resources = (stack: string): Resources => (JSON.parse(readFileSync(result.stacks.find((s) => s.stack === stack)!.file, 'utf8')) as { resource: Resources }).resource;
    const tables = Object.values(resources('iam-security').aws_dynamodb_table ?? {});
    expect(tables).toHaveLength(1);
    expect(tables[0]).toMatchObject({
      name: 'iam-platform-policy-registry',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'account',
      range_key: 'recordKey',
      deletion_protection_enabled: true,
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
    });
    expect(String((tables[0].server_side_encryption as { kms_key_arn: string }).kms_key_arn)).toMatch(/^\$\{aws_kms_key\.policy-registry_key_[0-9A-F]+\.arn\}$/);
    expect(resources('iam-app-prod').aws_dynamodb_table).toBeUndefined();
  });

  it('rejects an unknown account with the file, the path and the accounts to choose from', () => {
    const root = mkdtempSync(join(tmpdir(), 'registry-placement-'));
    cpSync(join(EXAMPLE_ORG_ROOT, 'accounts'), join(root, 'accounts'), { recursive: true });
    const file = join(root, 'accounts', 'org.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('policyRecord:\n  account: security', 'policyRecord:\n  account: securty'));
    expect(() => loadOrganization(root)).toThrow(
      /accounts\/org\.yaml:\d+ \$\.policyRecord\.account: unknown account "securty": the record table goes into one of app-dev, app-prod, app-staging, data-prod, log-archive, management, security, shared-services \(the security account\)/,
    );
  });
});
