/**
 * A read-only view of a structurally valid policy document that keeps the JSON path of every element,
 * so each rule can point at the exact string it objects to (`$.Statement[1].Action[0]`).
 */

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

/** Principal or NotPrincipal. */
export interface PrincipalView {
  /** Path of the whole element. */
  readonly path: string;
  /** True for `"Principal": "*"`. */
  readonly isStar: boolean;
  /** Values by principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`). */
  readonly entries: readonly (PolicyElement & { readonly type: string })[];
}

/** One statement. */
export interface StatementView {
  readonly index: number;
  readonly path: string;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly PolicyElement[];
  readonly notActions?: readonly PolicyElement[];
  readonly resources?: readonly PolicyElement[];
  readonly notResources?: readonly PolicyElement[];
  readonly principal?: PrincipalView;
  readonly notPrincipal?: PrincipalView;
  readonly conditions: readonly ConditionEntry[];
  /** The statement as written. */
  readonly json: Readonly<Record<string, unknown>>;
}

/** The view of a document. */
export interface DocumentView {
  readonly root: string;
  readonly statements: readonly StatementView[];
  readonly json: Readonly<Record<string, unknown>>;
}

function elements(value: unknown, path: string): PolicyElement[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [{ value, path }];
  return (value as unknown[]).map((v, i) => ({ value: String(v), path: `${path}[${i}]` }));
}

function principalView(value: unknown, path: string): PrincipalView | undefined {
  if (value === undefined) return undefined;
  if (value === '*') return { path, isStar: true, entries: [] };
  const entries: (PolicyElement & { type: string })[] = [];
  for (const [type, v] of Object.entries(value as Record<string, unknown>)) {
    for (const e of elements(v, `${path}.${type}`) ?? []) entries.push({ ...e, type });
  }
  return { path, isStar: false, entries };
}

function conditionEntries(value: unknown, path: string): ConditionEntry[] {
  if (value === undefined) return [];
  const out: ConditionEntry[] = [];
  for (const [operator, block] of Object.entries(value as Record<string, Record<string, unknown>>)) {
    const operatorPath = `${path}.${operator}`;
    for (const [key, raw] of Object.entries(block)) {
      const values = (Array.isArray(raw) ? raw : [raw]).map((v) => String(v));
      out.push({ operator, key, values, operatorPath, path: `${operatorPath}["${key}"]` });
    }
  }
  return out;
}

/** Builds the view of a document that `validatePolicyDocument` (without a type) accepted. */
export function viewDocument(json: Readonly<Record<string, unknown>>, root: string): DocumentView {
  const raw = json.Statement;
  const list = Array.isArray(raw) ? raw : [raw];
  const statements = list.map((s, index): StatementView => {
    const st = s as Record<string, unknown>;
    const path = Array.isArray(raw) ? `${root}.Statement[${index}]` : `${root}.Statement`;
    return {
      index,
      path,
      sid: typeof st.Sid === 'string' ? st.Sid : undefined,
      effect: st.Effect as 'Allow' | 'Deny',
      actions: elements(st.Action, `${path}.Action`),
      notActions: elements(st.NotAction, `${path}.NotAction`),
      resources: elements(st.Resource, `${path}.Resource`),
      notResources: elements(st.NotResource, `${path}.NotResource`),
      principal: principalView(st.Principal, `${path}.Principal`),
      notPrincipal: principalView(st.NotPrincipal, `${path}.NotPrincipal`),
      conditions: conditionEntries(st.Condition, `${path}.Condition`),
      json: st,
    };
  });
  return { root, statements, json };
}

/** True when the statement has a condition on the key (case-insensitive), under any operator. */
export function hasConditionKey(statement: StatementView, key: string): boolean {
  const wanted = key.toLowerCase();
  return statement.conditions.some((c) => c.key.toLowerCase() === wanted);
}

/** Conditions on one key (case-insensitive). */
export function conditionsOn(statement: StatementView, key: string): readonly ConditionEntry[] {
  const wanted = key.toLowerCase();
  return statement.conditions.filter((c) => c.key.toLowerCase() === wanted);
}

/**
 * A resource that does not narrow anything: `*`, every resource of a service in an account
 * (`arn:aws:lambda:*:123456789012:*`), or every IAM principal or policy of an account
 * (`arn:aws:iam::123456789012:role/*`, `arn:aws:iam::*:policy/*`).
 */
export function isBroadResource(resource: string): boolean {
  if (resource === '*') return true;
  if (/^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(resource)) return true;
  return /^arn:[^:]*:iam::[^:]*:(role|user|group|policy|instance-profile)\/\*$/.test(resource);
}

/** Resources the statement applies to without narrowing: any broad Resource element, or NotResource. */
export function broadResourceElements(statement: StatementView): readonly PolicyElement[] {
  if (statement.notResources) return [{ value: '*', path: `${statement.path}.NotResource` }];
  return (statement.resources ?? []).filter((r) => isBroadResource(r.value));
}
