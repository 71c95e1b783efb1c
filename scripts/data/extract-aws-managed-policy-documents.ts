/**
 * `npx tsx scripts/data/extract-aws-managed-policy-documents.ts <iam-dataset git dir or checkout>`
 *
 * Writes src/core/access-graph/data/aws-managed-policy-documents.json: the documents of the AWS managed policies the
 * access graph evaluates (below), from iann0036/iam-dataset (MIT; NOTICE credits Parliament, BSD-3)
 * `aws/managedpolicies/<name>.json`, with the source commit and date. A listed policy the source does not hold is
 * printed and left out (the graph then lists it as not evaluated), never guessed. Never use z0ph/MAMIP (GPL-3.0).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The policies: those that grant escalation actions (IAM writes, PassRole with compute), the read-only ones accounts
 * commonly attach, and every one the example organization attaches (so its roles are fully evaluated). AdministratorAccess stays written out in
 * build-access-graph.ts (`*` on `*`).
 */
export const EVALUATED_AWS_MANAGED_POLICIES: readonly string[] = [
  'IAMFullAccess',
  'IAMReadOnlyAccess',
  'AWSLambda_FullAccess',
  'AmazonEC2FullAccess',
  'AWSCloudFormationFullAccess',
  'AmazonS3FullAccess',
  'ReadOnlyAccess',
  'SecurityAudit',
  'job-function/ViewOnlyAccess',
  'AWSBillingReadOnlyAccess',
  'AmazonSSMManagedInstanceCore',
];

const OUT = join(__dirname, '..', '..', 'src', 'core', 'access-graph', 'data', 'aws-managed-policy-documents.json');
const SOURCE = 'iann0036/iam-dataset (MIT, Copyright (c) 2021 Ian Mckay; NOTICE: duo-labs/parliament, BSD-3-Clause)';

function main(source: string): void {
  const checkout = existsSync(join(source, 'aws', 'managedpolicies'));
  const git = (args: string[]): string =>
    execFileSync('git', [...(checkout ? ['-C', source] : ['--git-dir', source]), ...args], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const policies: Record<string, { arn: string; version: string; document: unknown }> = {};
  const missing: string[] = [];
  for (const name of EVALUATED_AWS_MANAGED_POLICIES) {
    const file = `aws/managedpolicies/${name.split('/').pop()}.json`;
    let text: string;
    try {
      text = checkout ? readFileSync(join(source, file), 'utf8') : git(['cat-file', '-p', `HEAD:${file}`]);
    } catch {
      missing.push(name);
      continue;
    }
    const json = JSON.parse(text) as { arn: string; version?: string; document: unknown };
    if (json.arn !== `arn:aws:iam::aws:policy/${name}`) throw new Error(`${file}: arn ${json.arn} is not arn:aws:iam::aws:policy/${name}`);
    policies[name] = { arn: json.arn, version: json.version ?? '', document: json.document };
  }
  const data = { source: SOURCE, commit: git(['rev-parse', 'HEAD']), date: git(['log', '-1', '--format=%cs']), policies };
  writeFileSync(OUT, `${JSON.stringify(data)}\n`);
  console.log(`wrote ${Object.keys(policies).length} documents to ${OUT}${missing.length > 0 ? `; not in the source (left out): ${missing.join(', ')}` : ''}`);
}

main(process.argv[2] ?? '');
