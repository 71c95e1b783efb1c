/**
 * The one place the access diff reads the linter's risk knowledge. The linter's escalation paths are
 * being rewritten as a data table; when that lands, only this file changes.
 */
import type { ActionCatalog } from '../catalog';
import { ESCALATION_PATHS } from '../lint';
import type { RiskClass } from './types';

/** A privilege-escalation path: a set of actions that together let a principal gain more than it was given. */
export interface EscalationPath {
  readonly name: string;
  /** Actions, lower-case. */
  readonly actions: readonly string[];
}

/** The linter's escalation paths, actions lower-cased. */
export const DIFF_ESCALATION_PATHS: readonly EscalationPath[] = ESCALATION_PATHS.map((p) => ({ name: p.name, actions: p.actions.map((a) => a.toLowerCase()) }));

const ESCALATION_ACTIONS: ReadonlySet<string> = new Set(DIFF_ESCALATION_PATHS.flatMap((p) => p.actions));

/**
 * Actions that read data out of an account (Cloudsplaining's default data-exfiltration actions,
 * salesforce/cloudsplaining `cloudsplaining/shared/default-exclusions` and `exfil` check, BSD-3-Clause).
 */
export const DATA_EXFILTRATION_ACTIONS: ReadonlySet<string> = new Set([
  's3:getobject',
  'ssm:getparameter',
  'ssm:getparameters',
  'ssm:getparametersbypath',
  'secretsmanager:getsecretvalue',
]);

/**
 * AWS managed policies whose documents include escalation paths (`iam:*` or `*`): attaching one is risky even
 * though the diff cannot read their documents offline.
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html
 */
export const ESCALATING_AWS_MANAGED_POLICIES: ReadonlySet<string> = new Set(['administratoraccess', 'iamfullaccess']);

/**
 * Risk classes of one action: privilege escalation (an action of a known path), data exfiltration
 * (the list above) and resource exposure (access level `Permissions management`, as Cloudsplaining defines it).
 */
export function classifyActionRisks(catalog: ActionCatalog, action: string): RiskClass[] {
  const lower = action.toLowerCase();
  if (lower === '*') return ['privilege-escalation', 'data-exfiltration', 'resource-exposure'];
  const out: RiskClass[] = [];
  if (ESCALATION_ACTIONS.has(lower)) out.push('privilege-escalation');
  if (DATA_EXFILTRATION_ACTIONS.has(lower)) out.push('data-exfiltration');
  if (catalog.getAction(action)?.accessLevel === 'Permissions management') out.push('resource-exposure');
  return out;
}
