import { type Document, type Node, type YAMLMap, type YAMLSeq, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { PolicyDocument, type PolicyDocumentJson, type StatementJson } from '../../core/policy';

/** One inline policy change to make in a role file. */
export interface InlinePolicyEdit {
  /** Inline policy name (a key of `inlinePolicies`, or the `name` of one of its items). */
  readonly policyName: string;
  /** The tightened document; null removes the policy. */
  readonly tightened: PolicyDocumentJson | null;
  /** For each tightened statement, the original statement indices it came from (see tightenPolicyDocument). */
  readonly origins: readonly (readonly number[])[];
  /** JSON path of the policy in the file when known (`$.inlinePolicies.app`). @default - found by name under `inlinePolicies` */
  readonly path?: string;
}

/** Result of {@link editInlinePolicies}. */
export interface YamlEditResult {
  /** The edited file text. */
  readonly text: string;
  /** Names of the policies that changed. */
  readonly changed: readonly string[];
}

type PathKey = string | number;

/** `$.a.b[0]["c d"]` → ['a', 'b', 0, 'c d']. */
function parseJsonPath(path: string): PathKey[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const keys: PathKey[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  let rest = path.slice(1);
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = re.exec(rest)) !== null) {
    if (match.index !== consumed) return undefined;
    consumed = re.lastIndex;
    keys.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : JSON.parse(`"${match[3]}"`)));
  }
  rest = rest.slice(consumed);
  return rest === '' ? keys : undefined;
}

interface Located {
  /** The policy document node (a map with Statement). */
  readonly document: YAMLMap;
  /** Removes the whole policy from the file. */
  readonly remove: () => void;
}

function documentNodeOf(node: unknown): YAMLMap | undefined {
  if (!isMap(node)) return undefined;
  if (node.has('Statement')) return node;
  const inner = node.get('document', true);
  return isMap(inner) && inner.has('Statement') ? inner : undefined;
}

function locatePolicy(doc: Document, edit: InlinePolicyEdit): Located | undefined {
  const keys = edit.path !== undefined ? parseJsonPath(edit.path) : undefined;
  if (keys !== undefined && keys.length > 0) {
    const document = documentNodeOf(doc.getIn(keys, true));
    // `$.inlinePolicies[0].document` names the document; the policy to remove is its list item.
    const policyKeys = keys[keys.length - 1] === 'document' ? keys.slice(0, -1) : keys;
    if (document !== undefined) return { document, remove: () => doc.deleteIn(policyKeys) };
  }
  const policies = doc.get('inlinePolicies', true);
  if (isMap(policies)) {
    const node = policies.get(edit.policyName, true);
    const document = documentNodeOf(node);
    if (document !== undefined) return { document, remove: () => policies.delete(edit.policyName) };
  } else if (isSeq(policies)) {
    const index = policies.items.findIndex((item) => isMap(item) && item.get('name') === edit.policyName);
    const document = index >= 0 ? documentNodeOf(policies.items[index]) : undefined;
    if (document !== undefined) return { document, remove: () => policies.items.splice(index, 1) };
  }
  return undefined;
}

function canonicalStatement(statement: StatementJson): string {
  return JSON.stringify(PolicyDocument.fromJson({ Statement: [statement] }).toCanonical());
}

function sameStatement(node: unknown, statement: StatementJson): boolean {
  if (!isMap(node)) return false;
  try {
    return canonicalStatement(node.toJSON() as StatementJson) === canonicalStatement(statement);
  } catch {
    return false;
  }
}

/**
 * Sets a statement's Action to the tightened list. In an existing list, items that stay keep their
 * node (and comment) and position; removed items go; new items (a wildcard replaced by the actions it
 * stood for) are appended. NotAction is replaced by Action in the same place.
 */
function setActions(doc: Document, node: YAMLMap, statement: StatementJson): void {
  const actions = statement.Action === undefined ? [] : typeof statement.Action === 'string' ? [statement.Action] : [...statement.Action];
  const previous = node.get('NotAction', true) === undefined ? node.get('Action', true) : undefined;
  if (isSeq(previous)) {
    const wanted = new Map(actions.map((a) => [a.toLowerCase(), a]));
    // New items are quoted the way the list's items were.
    const quoting = previous.items.find((item) => isScalar(item))?.type;
    previous.items = previous.items.filter((item) => isScalar(item) && typeof item.value === 'string' && wanted.delete(item.value.toLowerCase()));
    for (const a of wanted.values()) {
      const scalar = doc.createNode(a);
      if (quoting !== undefined) scalar.type = quoting;
      previous.items.push(scalar);
    }
  } else {
    const value: Node = actions.length === 1 ? doc.createNode(actions[0]) : (doc.createNode(actions) as YAMLSeq);
    if (node.has('NotAction')) {
      // Put Action where NotAction was, keeping the key order of the statement.
      const at = node.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === 'NotAction');
      node.delete('NotAction');
      node.items.splice(at, 0, doc.createPair('Action', value));
    } else {
      node.set('Action', value);
    }
  }
  if (statement.Sid === undefined && node.has('Sid')) node.delete('Sid');
}

/** Serialization options that reproduce the file's own style: seq indentation, flow padding, no folding. */
function styleOf(text: string): { indentSeq: boolean; flowCollectionPadding: boolean; lineWidth: number } {
  const unindented = /^( *)[^\s#-][^:\n]*:[ \t]*\n\1- /m.test(text);
  const padded = /[[{] \S/.test(text);
  return { indentSeq: !unindented, flowCollectionPadding: padded, lineWidth: 0 };
}

/**
 * Rewrites inline policies of a role file in place with the yaml Document API, so comments and
 * layout outside the changed values survive: a tightened statement updates the Action of the first
 * original statement it came from, statements merged into it are removed, and statements left as
 * they were are not touched. A null document removes the policy. Throws a user error naming the
 * file when a policy cannot be found.
 */
export function editInlinePolicies(text: string, file: string, edits: readonly InlinePolicyEdit[]): YamlEditResult {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `${file}: cannot edit, the YAML does not parse: ${doc.errors[0].message}`);
  }
  const changed: string[] = [];
  for (const edit of edits) {
    const located = locatePolicy(doc, edit);
    if (located === undefined) {
      throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `${file}: inline policy ${edit.policyName} not found under inlinePolicies; it may come from a role template: edit it there`);
    }
    if (edit.tightened === null) {
      located.remove();
      changed.push(edit.policyName);
      continue;
    }
    const statementsNode = located.document.get('Statement', true);
    const originals: unknown[] = isSeq(statementsNode) ? statementsNode.items : [statementsNode];
    const tightened = Array.isArray(edit.tightened.Statement) ? (edit.tightened.Statement as StatementJson[]) : [edit.tightened.Statement as StatementJson];
    const keep = new Set<number>();
    let modified = false;
    tightened.forEach((statement, j) => {
      const origin = edit.origins[j] ?? [j];
      keep.add(origin[0]);
      const node = originals[origin[0]];
      if (origin.length === 1 && sameStatement(node, statement)) return;
      if (!isMap(node)) return;
      setActions(doc, node, statement);
      modified = true;
    });
    const drop = originals.map((_, i) => i).filter((i) => !keep.has(i));
    if (drop.length > 0) modified = true;
    if (isSeq(statementsNode)) for (const i of drop.reverse()) statementsNode.items.splice(i, 1);
    if (modified) changed.push(edit.policyName);
  }
  return { text: changed.length === 0 ? text : doc.toString(styleOf(text)), changed };
}
