import type { Problem } from '../errors';
import type { PolicyType } from './limits';
import { PRINCIPAL_TYPES, POLICY_VERSION } from './types';

const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);
const VALID_VERSIONS = new Set([POLICY_VERSION, '2008-10-17']);

/** Options of {@link validatePolicyDocument}. */
export interface ValidatePolicyOptions {
  /** The kind of document, for the rules on Principal and Resource that depend on it. @default - no type-specific checks */
  readonly type?: PolicyType;
  /** JSON path of the document inside its container. @default '$' */
  readonly path?: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function checkStringOrArray(value: unknown, path: string, what: string, problems: Problem[]): void {
  if (typeof value === 'string') {
    if (value.length === 0) problems.push({ path, message: `${what} is an empty string: give a value or remove the element` });
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) problems.push({ path, message: `${what} is an empty array: list at least one value or remove the element` });
    value.forEach((item, i) => {
      if (typeof item !== 'string' || item.length === 0) {
        problems.push({ path: `${path}[${i}]`, message: `${what} entries must be non-empty strings, got ${describe(item)}` });
      }
    });
    return;
  }
  problems.push({ path, message: `${what} must be a string or an array of strings, got ${describe(value)}` });
}

function checkPrincipal(value: unknown, path: string, key: string, problems: Problem[]): void {
  if (value === '*') return;
  if (!isPlainObject(value)) {
    problems.push({ path, message: `${key} must be "*" or an object such as {"AWS": "arn:aws:iam::123456789012:root"}, got ${describe(value)}` });
    return;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) problems.push({ path, message: `${key} is an empty object: name at least one principal` });
  for (const [type, principals] of entries) {
    if (!(PRINCIPAL_TYPES as readonly string[]).includes(type)) {
      problems.push({ path: `${path}.${type}`, message: `unknown principal type "${type}": use one of ${PRINCIPAL_TYPES.join(', ')}` });
      continue;
    }
    checkStringOrArray(principals, `${path}.${type}`, `${key}.${type}`, problems);
  }
}

function checkCondition(value: unknown, path: string, problems: Problem[]): void {
  if (!isPlainObject(value)) {
    problems.push({ path, message: `Condition must be an object of operator → {key: value}, got ${describe(value)}` });
    return;
  }
  for (const [operator, block] of Object.entries(value)) {
    const opPath = `${path}.${operator}`;
    if (!isPlainObject(block)) {
      problems.push({ path: opPath, message: `Condition operator ${operator} must map condition keys to values, got ${describe(block)}` });
      continue;
    }
    for (const [key, conditionValue] of Object.entries(block)) {
      const keyPath = `${opPath}["${key}"]`;
      const values = Array.isArray(conditionValue) ? conditionValue : [conditionValue];
      if (Array.isArray(conditionValue) && conditionValue.length === 0) {
        problems.push({ path: keyPath, message: `condition ${key} has no values: give at least one` });
      }
      values.forEach((v, i) => {
        if (!['string', 'number', 'boolean'].includes(typeof v)) {
          problems.push({
            path: Array.isArray(conditionValue) ? `${keyPath}[${i}]` : keyPath,
            message: `condition values must be strings, numbers or booleans, got ${describe(v)}`,
          });
        }
      });
    }
  }
}

/** A problem, and whether only the policy type makes it one (a Principal in an identity policy). */
export interface KindedProblem extends Problem {
  /** True when only the policy type makes it a problem. @default false */
  readonly typeSpecific?: boolean;
}

/** What the type-specific rules need to know of one statement. */
export interface StatementShape {
  /** `Principal` or `NotPrincipal` when present. @default - neither */
  readonly principalKey?: 'Principal' | 'NotPrincipal';
  /** `Resource` or `NotResource` when present. @default - neither */
  readonly resourceKey?: 'Resource' | 'NotResource';
}

/** The rules on Principal and Resource that depend on the policy type, for one statement at `path`. */
export function checkStatementForType(shape: StatementShape, path: string, type: PolicyType | undefined): Problem[] {
  const problems: Problem[] = [];
  if (type === undefined) return problems;
  if (type === 'trust' || type === 'resource') {
    if (!shape.principalKey) {
      problems.push({ path: `${path}.Principal`, message: `Principal is missing: a ${type} policy statement must say who it applies to` });
    }
  } else if (shape.principalKey) {
    const key = shape.principalKey;
    problems.push({ path: `${path}.${key}`, message: `${key} is not allowed in a ${type} policy: the policy applies to the principal it is attached to; remove it` });
  }
  if (type === 'trust' && shape.resourceKey) {
    problems.push({ path: `${path}.${shape.resourceKey}`, message: `${shape.resourceKey} is not allowed in a trust policy: the resource is the role itself; remove it` });
  } else if (type !== 'trust' && !shape.resourceKey) {
    problems.push({ path: `${path}.Resource`, message: 'Resource is missing: every statement of this policy type needs Resource or NotResource' });
  }
  return problems;
}

function checkStatement(statement: unknown, path: string, type: PolicyType | undefined, problems: KindedProblem[]): void {
  if (!isPlainObject(statement)) {
    problems.push({ path, message: `a statement must be an object, got ${describe(statement)}` });
    return;
  }
  for (const key of Object.keys(statement)) {
    if (!STATEMENT_KEYS.has(key)) {
      problems.push({ path: `${path}.${key}`, message: `unknown statement element "${key}": allowed are ${[...STATEMENT_KEYS].join(', ')}` });
    }
  }
  if (statement.Sid !== undefined && (typeof statement.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(statement.Sid))) {
    problems.push({ path: `${path}.Sid`, message: `Sid must be a string of letters and digits only, got ${describe(statement.Sid)}` });
  }
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
    problems.push({
      path: `${path}.Effect`,
      message: statement.Effect === undefined ? 'Effect is missing: add "Effect": "Allow" or "Deny"' : `Effect must be "Allow" or "Deny", got ${describe(statement.Effect)}`,
    });
  }
  const pairs: ReadonlyArray<readonly [string, string]> = [
    ['Action', 'NotAction'],
    ['Resource', 'NotResource'],
    ['Principal', 'NotPrincipal'],
  ];
  for (const [plain, not] of pairs) {
    if (statement[plain] !== undefined && statement[not] !== undefined) {
      problems.push({ path: `${path}.${not}`, message: `a statement takes ${plain} or ${not}, not both: remove one` });
    }
  }
  if (statement.Action === undefined && statement.NotAction === undefined) {
    problems.push({ path: `${path}.Action`, message: 'Action is missing: every statement needs Action or NotAction' });
  }
  for (const key of ['Action', 'NotAction']) {
    if (statement[key] !== undefined) checkStringOrArray(statement[key], `${path}.${key}`, key, problems);
  }
  for (const key of ['Resource', 'NotResource']) {
    if (statement[key] !== undefined) checkStringOrArray(statement[key], `${path}.${key}`, key, problems);
  }
  for (const key of ['Principal', 'NotPrincipal']) {
    if (statement[key] !== undefined) checkPrincipal(statement[key], `${path}.${key}`, key, problems);
  }
  if (statement.Condition !== undefined) checkCondition(statement.Condition, `${path}.Condition`, problems);

  const shape: StatementShape = {
    ...(statement.Principal !== undefined ? { principalKey: 'Principal' as const } : statement.NotPrincipal !== undefined ? { principalKey: 'NotPrincipal' as const } : {}),
    ...(statement.Resource !== undefined ? { resourceKey: 'Resource' as const } : statement.NotResource !== undefined ? { resourceKey: 'NotResource' as const } : {}),
  };
  for (const p of checkStatementForType(shape, path, type)) problems.push({ ...p, typeSpecific: true });
}

/**
 * Checks the structure of a policy document and returns every problem with its JSON path.
 * An empty result means {@link PolicyDocument.fromJson} will accept the value.
 */
export function validatePolicyDocument(input: unknown, options: ValidatePolicyOptions = {}): Problem[] {
  return collectPolicyProblems(input, options).map((p) => ({ path: p.path, message: p.message }));
}

/** {@link validatePolicyDocument}, each problem marked type-specific or structural (PolicyDocument.parse). */
export function collectPolicyProblems(input: unknown, options: ValidatePolicyOptions = {}): KindedProblem[] {
  const root = options.path ?? '$';
  const problems: KindedProblem[] = [];
  const push = (problem: Problem): void => {
    problems.push({ ...problem, typeSpecific: false });
  };
  if (!isPlainObject(input)) {
    return [{ path: root, message: `a policy document must be a JSON object with a Statement, got ${describe(input)}`, typeSpecific: false }];
  }
  for (const key of Object.keys(input)) {
    if (!DOCUMENT_KEYS.has(key)) {
      push({ path: `${root}.${key}`, message: `unknown policy element "${key}": allowed are Version, Id, Statement` });
    }
  }
  if (input.Version === undefined) {
    push({ path: `${root}.Version`, message: `Version is missing: add "Version": "${POLICY_VERSION}" (without it IAM falls back to 2008-10-17, which has no policy variables)` });
  } else if (typeof input.Version !== 'string' || !VALID_VERSIONS.has(input.Version)) {
    push({ path: `${root}.Version`, message: `Version must be "${POLICY_VERSION}", got ${describe(input.Version)}` });
  }
  if (input.Id !== undefined && typeof input.Id !== 'string') {
    push({ path: `${root}.Id`, message: `Id must be a string, got ${describe(input.Id)}` });
  }
  const statement = input.Statement;
  if (statement === undefined) {
    push({ path: `${root}.Statement`, message: 'Statement is missing: a policy needs at least one statement' });
  } else if (Array.isArray(statement)) {
    if (statement.length === 0) push({ path: `${root}.Statement`, message: 'Statement is an empty array: a policy needs at least one statement' });
    statement.forEach((s, i) => checkStatement(s, `${root}.Statement[${i}]`, options.type, problems));
  } else {
    checkStatement(statement, `${root}.Statement`, options.type, problems);
  }
  return problems;
}
