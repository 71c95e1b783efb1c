/**
 * Where each element of a {@link PolicyDocument} sits in the document as written, so a finding can point at
 * the exact string it objects to (`$.Statement[1].Action[0]`). Derived from the one policy model: the values
 * are the statement's own; only the paths are added.
 */
import type { Problem } from '../errors';
import { isStatementWrittenAsObject, isWrittenAsString, type PolicyDocument, type Statement } from './policy-document';
import type { PolicyType } from './limits';
import type { Principal } from './types';
import { checkStatementForType } from './validate';

/** One string element of Action, Resource, Principal and the like, with its path. */
export interface PolicyElement {
  readonly value: string;
  readonly path: string;
}

/** One condition: operator, key, values, and paths of the operator block and the key. */
export interface ConditionEntry {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
  /** `$.Statement[0].Condition.StringEquals`. */
  readonly operatorPath: string;
  /** `$.Statement[0].Condition.StringEquals["aws:SourceIp"]`. */
  readonly path: string;
}

/** Principal or NotPrincipal, located. */
export interface PrincipalLocation {
  /** Path of the whole element. */
  readonly path: string;
  /** True for `"Principal": "*"`. */
  readonly isStar: boolean;
  /** Values by principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`). */
  readonly entries: readonly (PolicyElement & { readonly type: string })[];
}

/** One statement of a document with the path of each of its elements. */
export interface LocatedStatement {
  readonly index: number;
  readonly path: string;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly PolicyElement[];
  readonly notActions?: readonly PolicyElement[];
  readonly resources?: readonly PolicyElement[];
  readonly notResources?: readonly PolicyElement[];
  readonly principal?: PrincipalLocation;
  readonly notPrincipal?: PrincipalLocation;
  readonly conditions: readonly ConditionEntry[];
  /** The statement itself. */
  readonly statement: Statement;
}

/** A document with its statements located under `root`. */
export interface LocatedDocument {
  readonly root: string;
  readonly statements: readonly LocatedStatement[];
  readonly document: PolicyDocument;
}

function elements(statement: Statement, key: string, values: readonly string[] | undefined, path: string): PolicyElement[] | undefined {
  if (values === undefined) return undefined;
  if (isWrittenAsString(statement, key, values.length) && values.length === 1) return [{ value: values[0], path }];
  return values.map((value, i) => ({ value, path: `${path}[${i}]` }));
}

function locatePrincipal(statement: Statement, key: 'Principal' | 'NotPrincipal', value: Principal | undefined, path: string): PrincipalLocation | undefined {
  if (value === undefined) return undefined;
  if (value === '*') return { path, isStar: true, entries: [] };
  const entries: (PolicyElement & { type: string })[] = [];
  for (const type of Object.keys(value)) {
    for (const e of elements(statement, `${key}.${type}`, value[type], `${path}.${type}`) ?? []) entries.push({ ...e, type });
  }
  return { path, isStar: false, entries };
}

function locateConditions(statement: Statement, path: string): ConditionEntry[] {
  const out: ConditionEntry[] = [];
  for (const [operator, block] of Object.entries(statement.conditions ?? {})) {
    const operatorPath = `${path}.${operator}`;
    for (const [key, values] of Object.entries(block)) out.push({ operator, key, values, operatorPath, path: `${operatorPath}["${key}"]` });
  }
  return out;
}

/** Path of statement `index` of the document under `root`. */
export function locateStatementPath(document: PolicyDocument, index: number, root = '$'): string {
  return isStatementWrittenAsObject(document) ? `${root}.Statement` : `${root}.Statement[${index}]`;
}

/** Locates every statement and element of a document under `root` (`$`, or `$.document` inside a file). */
export function locateStatements(document: PolicyDocument, root = '$'): LocatedDocument {
  const statements = document.statements.map((statement, index): LocatedStatement => {
    const path = locateStatementPath(document, index, root);
    return {
      index,
      path,
      sid: statement.sid,
      effect: statement.effect,
      actions: elements(statement, 'Action', statement.actions, `${path}.Action`),
      notActions: elements(statement, 'NotAction', statement.notActions, `${path}.NotAction`),
      resources: elements(statement, 'Resource', statement.resources, `${path}.Resource`),
      notResources: elements(statement, 'NotResource', statement.notResources, `${path}.NotResource`),
      principal: locatePrincipal(statement, 'Principal', statement.principal, `${path}.Principal`),
      notPrincipal: locatePrincipal(statement, 'NotPrincipal', statement.notPrincipal, `${path}.NotPrincipal`),
      conditions: locateConditions(statement, `${path}.Condition`),
      statement,
    };
  });
  return { root, statements, document };
}

/** Conditions on one key (case-insensitive). */
export function conditionsOn(statement: LocatedStatement, key: string): readonly ConditionEntry[] {
  const wanted = key.toLowerCase();
  return statement.conditions.filter((c) => c.key.toLowerCase() === wanted);
}

/**
 * The rules on Principal and Resource that depend on the policy type, checked on a built document (the same
 * rules and messages `validatePolicyDocument` applies to JSON with a type).
 */
export function checkPolicyType(document: PolicyDocument, type: PolicyType, root = '$'): Problem[] {
  return document.statements.flatMap((s, i) =>
    checkStatementForType(
      {
        ...(s.principal !== undefined ? { principalKey: 'Principal' as const } : s.notPrincipal !== undefined ? { principalKey: 'NotPrincipal' as const } : {}),
        ...(s.resources !== undefined ? { resourceKey: 'Resource' as const } : s.notResources !== undefined ? { resourceKey: 'NotResource' as const } : {}),
      },
      locateStatementPath(document, i, root),
      type,
    ),
  );
}
