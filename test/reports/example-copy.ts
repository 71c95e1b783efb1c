import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

/** A fresh copy of the example organization in a temporary folder (the tests add roles to it). */
export function copyExampleOrg(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iamctl-report-'));
  cpSync(join(EXAMPLE_ORG_ROOT, 'accounts'), join(dir, 'accounts'), { recursive: true });
  return dir;
}

/** Writes a role file into an account of the copy (`workloads/app-dev`). */
export function writeRole(root: string, accountPath: string, name: string, yaml: string): string {
  const file = join(root, 'accounts', accountPath, 'roles', `${name}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

/** A role that people in the management account assume with MFA, granting PassRole and Lambda create + invoke on any target. */
export const LAMBDA_ESCALATION_ROLE = `description: Deploys Lambda functions (test role with an escalation path)
owner: app-team
trust:
  accounts:
    - principals: [management]
      kind: human
inlinePolicies:
  lambda-deploy:
    Version: "2012-10-17"
    Statement:
      - Sid: PassAnyRole
        Effect: Allow
        Action: iam:PassRole
        Resource: "*"
      - Sid: CreateAndRunFunctions
        Effect: Allow
        Action: [lambda:CreateFunction, lambda:InvokeFunction]
        Resource: "*"
`;

/** A role with neither a boundary nor MFA on its human trust; lint findings on it are suppressed (only the two compliance checks fail). */
export const BROKEN_ROLE = `description: Broken on purpose (no boundary, human trust without MFA)
owner: app-team
trust:
  accounts:
    - principals: [management]
      kind: human
      requireMfa: false
permissionBoundary:
  none:
    reason: test role without a boundary
inlinePolicies:
  read-logs:
    Version: "2012-10-17"
    Statement:
      - Sid: ReadLogs
        Effect: Allow
        Action: logs:GetLogEvents
        Resource: "arn:aws:logs:eu-west-1:510987654321:log-group:/app/*"
`;
