/**
 * Server-side validation of the request form with the loader's own schema pieces (expiry date, role
 * name, trust principal), so a form the portal accepts is a file the loader accepts. Every problem is
 * returned at once, by field name.
 */
import { z } from 'zod';
import type { AccessRequest, AccessRequestProblem } from '../core/access-request';
import { ACCOUNT_ID_PATTERN, expiresSchema, IAM_NAME_PATTERN, NAME_PATTERN } from '../config/schema';

/** Longest justification kept (it goes into the merge request description). */
export const MAX_JUSTIFICATION_CHARS = 2000;
/** Most actions or resources in one request (one statement stays readable and reviewable). */
export const MAX_REQUEST_ITEMS = 20;

/** The request form as posted (application/x-www-form-urlencoded; repeated keys are arrays). */
export type RequestForm = Readonly<Record<string, string | readonly string[] | undefined>>;

const ACTION_PATTERN = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const ARN_PATTERN = /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12}|\{\{account\.id\}\})?:\S+$|^arn:[a-z-]+:s3:::\S+$/;
const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:(?:role|user)\/[\w+=,.@/-]+$/;

const listOf = (value: string | readonly string[] | undefined): string[] =>
  (typeof value === 'string' ? [value] : [...(value ?? [])]).flatMap((v) => v.split(/[\n,]/)).map((v) => v.trim()).filter(Boolean);
const one = (value: string | readonly string[] | undefined): string => (typeof value === 'string' ? value : (value?.[0] ?? '')).trim();

const principalSchema = z
  .string()
  .refine((p) => NAME_PATTERN.test(p) || ACCOUNT_ID_PATTERN.test(p) || ROLE_ARN_PATTERN.test(p), {
    error: 'expected an account name from accounts/, a 12-digit account id or a role ARN (arn:aws:iam::123456789012:role/name)',
  });

/** Validates the form; `requester` is the signed-in user, never a form field. */
export function validateRequestForm(form: RequestForm, requester: string, now: Date): { request?: AccessRequest; problems: AccessRequestProblem[] } {
  const problems: AccessRequestProblem[] = [];
  const accounts = listOf(form.accounts);
  if (accounts.length === 0) problems.push({ field: 'accounts', message: 'pick at least one account' });
  accounts.forEach((a) => {
    if (!NAME_PATTERN.test(a)) problems.push({ field: 'accounts', message: `"${a}" is not an account name (kebab-case)` });
  });
  const role = one(form.role);
  if (role === '') problems.push({ field: 'role', message: 'name the role (pick one of the selected accounts)' });
  else if (!IAM_NAME_PATTERN.test(role)) problems.push({ field: 'role', message: 'expected an IAM role name: letters, digits and + = , . @ _ - only' });
  const justification = one(form.justification);
  if (justification.length < 10) problems.push({ field: 'justification', message: 'say why you need the access (at least 10 characters): reviewers approve on it' });
  if (justification.length > MAX_JUSTIFICATION_CHARS) problems.push({ field: 'justification', message: `at most ${MAX_JUSTIFICATION_CHARS} characters` });
  const expiresText = one(form.expires);
  let expires: string | undefined;
  if (expiresText !== '') {
    const parsed = expiresSchema.safeParse(expiresText);
    if (!parsed.success) problems.push({ field: 'expires', message: parsed.error.issues[0]?.message ?? 'expected YYYY-MM-DD' });
    else if (new Date(`${parsed.data}T00:00:00Z`).getTime() <= now.getTime()) problems.push({ field: 'expires', message: `the expiry ${parsed.data} has already passed: pick a later date, or leave it empty for permanent access` });
    else expires = parsed.data;
  }
  const kind = one(form.kind);
  const base = { accounts, role, justification, requester, ...(expires !== undefined ? { expires } : {}) };
  if (kind === 'permissions') {
    const actions = listOf(form.actions);
    const resources = listOf(form.resources);
    if (actions.length === 0) problems.push({ field: 'actions', message: 'list at least one action (`s3:GetObject`)' });
    if (resources.length === 0) problems.push({ field: 'resources', message: 'list at least one resource ARN: the catalog suggests templates for each action' });
    if (actions.length > MAX_REQUEST_ITEMS) problems.push({ field: 'actions', message: `at most ${MAX_REQUEST_ITEMS} actions per request` });
    if (resources.length > MAX_REQUEST_ITEMS) problems.push({ field: 'resources', message: `at most ${MAX_REQUEST_ITEMS} resources per request` });
    actions.forEach((a, i) => {
      if (!ACTION_PATTERN.test(a)) problems.push({ field: `actions[${i}]`, message: `"${a}" is not an action: an action is "<service>:<Action>" without wildcards (\`s3:GetObject\`)` });
    });
    resources.forEach((r, i) => {
      if (r === '*' || !ARN_PATTERN.test(r)) problems.push({ field: `resources[${i}]`, message: `"${r}" is not a resource ARN: give one ARN per line (\`arn:aws:s3:::bucket/prefix/*\`), not "*"` });
    });
    return problems.length > 0 ? { problems } : { request: { kind: 'permissions', ...base, actions, resources }, problems };
  }
  if (kind === 'trust') {
    const principal = one(form.principal);
    const parsed = principalSchema.safeParse(principal);
    if (!parsed.success) problems.push({ field: 'principal', message: parsed.error.issues[0]?.message ?? 'invalid principal' });
    const requireMfa = one(form.requireMfa) !== 'no';
    return problems.length > 0 ? { problems } : { request: { kind: 'trust', ...base, principal, requireMfa }, problems };
  }
  problems.push({ field: 'kind', message: 'choose "permissions for a role" or "trust into a role"' });
  return { problems };
}
