import { ERROR_CODES, IamPlatformError } from '../errors';
import { type PolicyType, sizeLimitFor } from './limits';
import type {
  ConditionJson,
  Conditions,
  PolicyDocumentJson,
  Principal,
  PrincipalJson,
  StatementJson,
  StringOrArray,
} from './types';
import { POLICY_VERSION } from './types';
import { validatePolicyDocument } from './validate';

function toArray(value: StringOrArray | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? [value] : [...value];
}

function uniqueSorted(values: readonly string[], caseInsensitive = false): string[] {
  const seen = new Map<string, string>();
  for (const v of values) {
    const key = caseInsensitive ? v.toLowerCase() : v;
    if (!seen.has(key)) seen.set(key, caseInsensitive ? v.toLowerCase() : v);
  }
  return [...seen.values()].sort();
}

function normalizePrincipal(value: PrincipalJson | undefined): Principal | undefined {
  if (value === undefined) return undefined;
  if (value === '*') return '*';
  const out: Record<string, readonly string[]> = {};
  for (const type of Object.keys(value).sort()) out[type] = toArray(value[type]) ?? [];
  return out;
}

function normalizeConditions(value: ConditionJson | undefined): Conditions | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, Record<string, readonly string[]>> = {};
  for (const operator of Object.keys(value)) {
    const block: Record<string, readonly string[]> = {};
    for (const key of Object.keys(value[operator])) {
      const raw = value[operator][key];
      block[key] = (Array.isArray(raw) ? raw : [raw]).map((v) => String(v));
    }
    out[operator] = block;
  }
  return out;
}

function compactArray(values: readonly string[]): string | string[] {
  return values.length === 1 ? values[0] : [...values];
}

/** Props of {@link Statement}; mirrors the JSON elements with arrays everywhere. */
export interface StatementProps {
  /** Statement id. @default - none */
  readonly sid?: string;
  /** Allow or Deny. @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  /** Actions (`s3:GetObject`, `s3:Get*`). @default - none (then notActions must be set) */
  readonly actions?: readonly string[];
  /** Actions excluded (NotAction). @default - none */
  readonly notActions?: readonly string[];
  /** Resource ARNs or `*`. @default - none */
  readonly resources?: readonly string[];
  /** Resources excluded (NotResource). @default - none */
  readonly notResources?: readonly string[];
  /** Principal, for trust and resource policies. @default - none */
  readonly principal?: Principal;
  /** NotPrincipal. @default - none */
  readonly notPrincipal?: Principal;
  /** Conditions: operator → key → values. @default - none */
  readonly conditions?: Conditions;
}

/** One immutable IAM policy statement. Values are arrays; `toJSON` writes single values as strings. */
export class Statement {
  /** Builds a statement from its JSON form; the input must be structurally valid (see validatePolicyDocument). */
  public static fromJson(json: StatementJson): Statement {
    return new Statement({
      sid: json.Sid,
      effect: json.Effect,
      actions: toArray(json.Action),
      notActions: toArray(json.NotAction),
      resources: toArray(json.Resource),
      notResources: toArray(json.NotResource),
      principal: normalizePrincipal(json.Principal),
      notPrincipal: normalizePrincipal(json.NotPrincipal),
      conditions: normalizeConditions(json.Condition),
    });
  }

  public readonly sid?: string;
  public readonly effect: 'Allow' | 'Deny';
  public readonly actions?: readonly string[];
  public readonly notActions?: readonly string[];
  public readonly resources?: readonly string[];
  public readonly notResources?: readonly string[];
  public readonly principal?: Principal;
  public readonly notPrincipal?: Principal;
  public readonly conditions?: Conditions;

  constructor(props: StatementProps) {
    this.sid = props.sid;
    this.effect = props.effect ?? 'Allow';
    this.actions = props.actions ? Object.freeze([...props.actions]) : undefined;
    this.notActions = props.notActions ? Object.freeze([...props.notActions]) : undefined;
    this.resources = props.resources ? Object.freeze([...props.resources]) : undefined;
    this.notResources = props.notResources ? Object.freeze([...props.notResources]) : undefined;
    this.principal = props.principal;
    this.notPrincipal = props.notPrincipal;
    this.conditions = props.conditions;
    Object.freeze(this);
  }

  /** True when the statement names the given condition key under any operator (keys are case-insensitive). */
  public hasConditionKey(key: string): boolean {
    const wanted = key.toLowerCase();
    return Object.values(this.conditions ?? {}).some((block) => Object.keys(block).some((k) => k.toLowerCase() === wanted));
  }

  /** The statement in AWS's JSON form, single values written as strings. */
  public toJSON(): StatementJson {
    const out: Record<string, unknown> = {};
    if (this.sid !== undefined) out.Sid = this.sid;
    out.Effect = this.effect;
    if (this.principal !== undefined) out.Principal = principalToJson(this.principal);
    if (this.notPrincipal !== undefined) out.NotPrincipal = principalToJson(this.notPrincipal);
    if (this.actions !== undefined) out.Action = compactArray(this.actions);
    if (this.notActions !== undefined) out.NotAction = compactArray(this.notActions);
    if (this.resources !== undefined) out.Resource = compactArray(this.resources);
    if (this.notResources !== undefined) out.NotResource = compactArray(this.notResources);
    if (this.conditions !== undefined) out.Condition = conditionsToJson(this.conditions);
    return out as unknown as StatementJson;
  }

  /**
   * Order-insensitive form for comparison: arrays sorted and deduplicated, action names lower-cased
   * (IAM matches them case-insensitively), every value an array. The Sid is kept unless `ignoreSid`.
   */
  public toCanonical(ignoreSid = false): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.sid !== undefined && !ignoreSid) out.Sid = this.sid;
    out.Effect = this.effect;
    if (this.principal !== undefined) out.Principal = canonicalPrincipal(this.principal);
    if (this.notPrincipal !== undefined) out.NotPrincipal = canonicalPrincipal(this.notPrincipal);
    if (this.actions !== undefined) out.Action = uniqueSorted(this.actions, true);
    if (this.notActions !== undefined) out.NotAction = uniqueSorted(this.notActions, true);
    if (this.resources !== undefined) out.Resource = uniqueSorted(this.resources);
    if (this.notResources !== undefined) out.NotResource = uniqueSorted(this.notResources);
    if (this.conditions !== undefined) {
      const cond: Record<string, Record<string, string[]>> = {};
      for (const operator of Object.keys(this.conditions).sort()) {
        const block: Record<string, string[]> = {};
        for (const key of Object.keys(this.conditions[operator]).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))) {
          block[key.toLowerCase()] = uniqueSorted(this.conditions[operator][key]);
        }
        cond[operator] = block;
      }
      out.Condition = cond;
    }
    return out;
  }
}

function principalToJson(principal: Principal): PrincipalJson {
  if (principal === '*') return '*';
  const out: Record<string, StringOrArray> = {};
  for (const type of Object.keys(principal)) out[type] = compactArray(principal[type]);
  return out;
}

function canonicalPrincipal(principal: Principal): unknown {
  if (principal === '*') return '*';
  const out: Record<string, string[]> = {};
  for (const type of Object.keys(principal).sort()) out[type] = uniqueSorted(principal[type]);
  return out;
}

function conditionsToJson(conditions: Conditions): ConditionJson {
  const out: Record<string, Record<string, StringOrArray>> = {};
  for (const operator of Object.keys(conditions)) {
    const block: Record<string, StringOrArray> = {};
    for (const key of Object.keys(conditions[operator])) block[key] = compactArray(conditions[operator][key]);
    out[operator] = block;
  }
  return out;
}

/** Options of {@link PolicyDocument.fromJson}. */
export interface PolicyDocumentFromJsonOptions {
  /** Where the document came from, for error messages (a file path, `role admin inline policy`). @default - not named */
  readonly source?: string;
}

/**
 * An immutable IAM policy document: identity, resource, trust, boundary or SCP.
 * The one policy value shared by constructs, linter, drift detection and the analyzer.
 */
export class PolicyDocument {
  /**
   * Parses a policy from an object or a JSON string. Strings may be URL-encoded, as IAM returns them
   * (GetAccountAuthorizationDetails, GetRolePolicy). Throws an {@link IamPlatformError} listing every
   * structural problem with its path when the input is not a valid policy.
   */
  public static fromJson(input: unknown, options: PolicyDocumentFromJsonOptions = {}): PolicyDocument {
    const where = options.source ? ` in ${options.source}` : '';
    let value = input;
    if (typeof input === 'string') {
      const text = decodePolicyText(input);
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new IamPlatformError(ERROR_CODES.INVALID_POLICY, `Policy document${where} is not valid JSON: ${(e as Error).message}`, {
          problems: [{ path: '$', message: `not valid JSON: ${(e as Error).message}` }],
        });
      }
    }
    const problems = validatePolicyDocument(value);
    if (problems.length > 0) {
      const list = problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
      throw new IamPlatformError(ERROR_CODES.INVALID_POLICY, `Policy document${where} is invalid:\n${list}`, { problems });
    }
    const json = value as PolicyDocumentJson;
    const statements = (Array.isArray(json.Statement) ? json.Statement : [json.Statement]) as readonly StatementJson[];
    return new PolicyDocument({ version: json.Version, id: json.Id, statements: statements.map((s) => Statement.fromJson(s)) });
  }

  public readonly version: string;
  public readonly id?: string;
  public readonly statements: readonly Statement[];

  constructor(props: { readonly version?: string; readonly id?: string; readonly statements: readonly Statement[] }) {
    this.version = props.version ?? POLICY_VERSION;
    this.id = props.id;
    this.statements = Object.freeze([...props.statements]);
    Object.freeze(this);
  }

  /** A new document with the statements appended. */
  public addStatements(...statements: Statement[]): PolicyDocument {
    return new PolicyDocument({ version: this.version, id: this.id, statements: [...this.statements, ...statements] });
  }

  /** The document in AWS's JSON form; `Statement` is always an array. */
  public toJSON(): PolicyDocumentJson {
    const out: Record<string, unknown> = { Version: this.version };
    if (this.id !== undefined) out.Id = this.id;
    out.Statement = this.statements.map((s) => s.toJSON());
    return out as unknown as PolicyDocumentJson;
  }

  /** Minified JSON, as AWS stores and measures it. */
  public toString(): string {
    return JSON.stringify(this.toJSON());
  }

  /** Order-insensitive canonical form: statements canonicalized and sorted. */
  public toCanonical(options: { readonly ignoreSid?: boolean } = {}): Record<string, unknown> {
    const statements = this.statements
      .map((s) => s.toCanonical(options.ignoreSid ?? false))
      .map((c) => [JSON.stringify(c), c] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const unique = statements.filter((entry, i) => i === 0 || entry[0] !== statements[i - 1][0]).map((e) => e[1]);
    const out: Record<string, unknown> = { Version: this.version };
    if (this.id !== undefined) out.Id = this.id;
    out.Statement = unique;
    return out;
  }

  /**
   * Semantic equality: same statements in any order, with arrays compared as sets, single values
   * equal to one-element arrays, action names case-insensitive. Sids are ignored: they do not change what a policy allows.
   */
  public equals(other: PolicyDocument): boolean {
    return JSON.stringify(this.toCanonical({ ignoreSid: true })) === JSON.stringify(other.toCanonical({ ignoreSid: true }));
  }

  /** Size as AWS counts it: characters of the document without whitespace outside strings. */
  public size(): number {
    return this.toString().length;
  }

  /** True when the document fits the size limit of its type. */
  public fitsSizeLimit(type: PolicyType): boolean {
    return this.size() <= sizeLimitFor(type);
  }
}

/** Decodes a URL-encoded policy (IAM API responses) and leaves plain JSON alone. */
export function decodePolicyText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('%7B') || trimmed.startsWith('%7b')) {
    return decodeURIComponent(trimmed.replace(/\+/g, '%20'));
  }
  return trimmed;
}

/** Measures minified size of any JSON-like value (for aggregate limits such as all inline policies of a role). */
export function measureJsonSize(value: unknown): number {
  return JSON.stringify(value).length;
}
