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
import { collectPolicyProblems } from './validate';
import type { Problem } from '../errors';

/**
 * How a statement parsed from JSON was written: the elements given as one string rather than an array
 * (`Action`, `Principal.AWS`). Kept beside the value, not in it, so equal statements stay equal; used only
 * to point findings at the string as written (`$.Statement[0].Action` vs `$.Statement[0].Action[0]`).
 */
const writtenSingles = new WeakMap<Statement, ReadonlySet<string>>();
/** Documents whose `Statement` was written as one object rather than an array. */
const writtenAsObject = new WeakSet<PolicyDocument>();

/**
 * True when the element (`Action`, `Resource`, `Principal.AWS`) of a statement is written as one string.
 * Statements built in code are written as `toJSON` writes them: one value as a string, several as an array.
 */
export function isWrittenAsString(statement: Statement, element: string, count: number): boolean {
  const singles = writtenSingles.get(statement);
  return singles ? singles.has(element) : count === 1;
}

/** True when the document's `Statement` element is one object, as written (documents built in code write an array). */
export function isStatementWrittenAsObject(document: PolicyDocument): boolean {
  return writtenAsObject.has(document);
}

function recordSingles(json: StatementJson): ReadonlySet<string> {
  const out = new Set<string>();
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) if (typeof json[key] === 'string') out.add(key);
  for (const key of ['Principal', 'NotPrincipal'] as const) {
    const value = json[key];
    if (value === undefined || value === '*') continue;
    for (const type of Object.keys(value)) if (typeof value[type] === 'string') out.add(`${key}.${type}`);
  }
  return out;
}

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
    const statement = new Statement({
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
    writtenSingles.set(statement, recordSingles(json));
    return statement;
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
  /** The kind of document, for the rules on Principal and Resource that depend on it. @default - no type-specific checks */
  readonly type?: PolicyType;
  /** JSON path of the document inside its file, for the problems' paths. @default '$' */
  readonly path?: string;
}

/** What {@link PolicyDocument.parse} returns: the document when its structure is valid, and every problem found. */
export interface ParsedPolicyDocument {
  /** The document; absent when the structure is broken (problems of the policy type alone keep it). @default - none */
  readonly document?: PolicyDocument;
  /** Every problem with its JSON path, type-specific ones included. */
  readonly problems: readonly Problem[];
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
    if (input instanceof PolicyDocument) return input;
    const where = options.source ? ` in ${options.source}` : '';
    const { document, problems, notJson } = parseOnce(input, options);
    if (notJson !== undefined) {
      throw new IamPlatformError(ERROR_CODES.INVALID_POLICY, `Policy document${where} is not valid JSON: ${notJson}`, { problems });
    }
    if (problems.length > 0 || !document) {
      const list = problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
      throw new IamPlatformError(ERROR_CODES.INVALID_POLICY, `Policy document${where} is invalid:\n${list}`, { problems });
    }
    return document;
  }

  /**
   * Like {@link PolicyDocument.fromJson}, but returns the problems instead of throwing, and the document too when
   * only type-specific rules are broken (a Principal in an identity policy). The input is validated once.
   * A {@link PolicyDocument} is returned as it is.
   */
  public static parse(input: unknown, options: PolicyDocumentFromJsonOptions = {}): ParsedPolicyDocument {
    if (input instanceof PolicyDocument) return { document: input, problems: [] };
    const { document, problems } = parseOnce(input, options);
    return document ? { document, problems } : { problems };
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

  /**
   * Size as AWS counts it: characters of the document without whitespace outside strings. The length of
   * {@link toString}, counted without building the JSON (the linter measures every document it checks).
   */
  public size(): number {
    let n = 13 + measureString(this.version) + 14; // {"Version":…,"Statement":[…]}
    if (this.id !== undefined) n += 6 + measureString(this.id); // ,"Id":…
    for (const s of this.statements) n += measureStatement(s) + 1;
    return n - (this.statements.length > 0 ? 1 : 0);
  }

  /** True when the document fits the size limit of its type. */
  public fitsSizeLimit(type: PolicyType): boolean {
    return this.size() <= sizeLimitFor(type);
  }
}

/** True when JSON.stringify escapes some character of the string: `"`, `\\`, control characters, surrogates (lone ones are escaped). */
function needsEscape(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

/** Characters JSON.stringify needs for a string (most need no escape: the string and its quotes). */
function measureString(value: string): number {
  return needsEscape(value) ? JSON.stringify(value).length : value.length + 2;
}

/** Characters of `compactArray(values)` in JSON: one string, or an array of strings. */
function measureValues(values: readonly string[]): number {
  if (values.length === 1) return measureString(values[0]);
  let n = 2 + Math.max(0, values.length - 1);
  for (const v of values) n += measureString(v);
  return n;
}

/** Characters of a `"Key":` prefix plus the separating comma before it. */
function measureKey(key: string): number {
  return measureString(key) + 2;
}

function measurePrincipal(principal: Principal): number {
  if (principal === '*') return 3;
  const types = Object.keys(principal);
  let n = 2 + Math.max(0, types.length - 1);
  for (const type of types) n += measureString(type) + 1 + measureValues(principal[type]);
  return n;
}

function measureConditions(conditions: Conditions): number {
  const operators = Object.keys(conditions);
  let n = 2 + Math.max(0, operators.length - 1);
  for (const operator of operators) {
    const keys = Object.keys(conditions[operator]);
    n += measureString(operator) + 1 + 2 + Math.max(0, keys.length - 1);
    for (const key of keys) n += measureString(key) + 1 + measureValues(conditions[operator][key]);
  }
  return n;
}

/** Characters of `JSON.stringify(statement.toJSON())`: the braces, and each element with its key and comma. */
function measureStatement(s: Statement): number {
  // {"Effect":"Allow"} without its comma; every other element adds `,"Key":value`.
  let n = 2 + measureKey('Effect') - 1 + measureString(s.effect);
  if (s.sid !== undefined) n += measureKey('Sid') + measureString(s.sid);
  if (s.principal !== undefined) n += measureKey('Principal') + measurePrincipal(s.principal);
  if (s.notPrincipal !== undefined) n += measureKey('NotPrincipal') + measurePrincipal(s.notPrincipal);
  if (s.actions !== undefined) n += measureKey('Action') + measureValues(s.actions);
  if (s.notActions !== undefined) n += measureKey('NotAction') + measureValues(s.notActions);
  if (s.resources !== undefined) n += measureKey('Resource') + measureValues(s.resources);
  if (s.notResources !== undefined) n += measureKey('NotResource') + measureValues(s.notResources);
  if (s.conditions !== undefined) n += measureKey('Condition') + measureConditions(s.conditions);
  return n;
}

function parseOnce(input: unknown, options: PolicyDocumentFromJsonOptions): { document?: PolicyDocument; problems: Problem[]; notJson?: string } {
  const root = options.path ?? '$';
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(decodePolicyText(input));
    } catch (e) {
      const message = (e as Error).message;
      return { problems: [{ path: root, message: `not valid JSON: ${message}` }], notJson: message };
    }
  }
  const typed = collectPolicyProblems(value, { type: options.type, path: root });
  const problems = typed.map((p) => ({ path: p.path, message: p.message }));
  if (typed.some((p) => !p.typeSpecific)) return { problems };
  const json = value as PolicyDocumentJson;
  const asObject = !Array.isArray(json.Statement);
  const statements = (asObject ? [json.Statement] : json.Statement) as readonly StatementJson[];
  const document = new PolicyDocument({ version: json.Version, id: json.Id, statements: statements.map((s) => Statement.fromJson(s)) });
  if (asObject) writtenAsObject.add(document);
  return { document, problems };
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
