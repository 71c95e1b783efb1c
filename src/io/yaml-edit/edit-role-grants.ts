/**
 * Comment-preserving edits of a role file for access requests and expiry, with the yaml Document API
 * (as editInlinePolicies does for `analyze --write`): a statement or a trust entry is appended, or an
 * expired role part is removed; every other node keeps its text, comments and position.
 */
import { type Document, isMap, isSeq, type Node, parseDocument, visit, type YAMLMap } from 'yaml';
import type { RoleFileChange } from '../../core/access-request';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';

/** A part of a role file to remove because it expired. */
export type ExpiredPart =
  | { readonly kind: 'trust'; readonly index: number }
  | { readonly kind: 'statement'; readonly policyName: string; readonly index: number };

/** Result of {@link removeExpiredParts}. */
export interface RemoveExpiredResult {
  /** The edited text (unchanged when nothing was removed). */
  readonly text: string;
  /** Parts removed. */
  readonly removed: readonly ExpiredPart[];
  /** Parts left in place, each with why. */
  readonly skipped: readonly { readonly part: ExpiredPart; readonly reason: string }[];
}

function parseRoleFile(text: string, file: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `${file}: cannot edit, the YAML does not parse: ${doc.errors[0].message}`);
  if (!isMap(doc.contents)) throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `${file}: cannot edit, the file is not a map of role settings`);
  return doc;
}

/** Serialization that keeps the file's own sequence indentation and no line folding. */
function render(doc: Document, text: string): string {
  const unindented = /^( *)[^\s#-][^:\n]*:[ \t]*\n\1- /m.test(text);
  const padded = /[[{] \S/.test(text);
  return doc.toString({ indentSeq: !unindented, flowCollectionPadding: padded, lineWidth: 0 });
}

/** Quotes dates and the policy Version in new nodes, so no YAML 1.1 reader takes them for timestamps. */
function quoteDates(node: unknown): void {
  visit(node as Node, {
    Scalar(_key, scalar) {
      if (typeof scalar.value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(scalar.value)) scalar.type = 'QUOTE_DOUBLE';
    },
  });
}

function documentOf(node: unknown): YAMLMap | undefined {
  if (!isMap(node)) return undefined;
  if (node.has('Statement')) return node;
  const inner = node.get('document', true);
  return isMap(inner) ? inner : undefined;
}

/** Finds the inline policy document `name` in the file, or undefined. */
function findPolicyDocument(doc: Document, name: string): YAMLMap | undefined {
  const policies = doc.get('inlinePolicies', true);
  if (isMap(policies)) return documentOf(policies.get(name, true));
  if (isSeq(policies)) return documentOf(policies.items.find((item) => isMap(item) && item.get('name') === name));
  return undefined;
}

/** Applies one access-request change to a role file's text. */
export function applyRoleFileChange(text: string, file: string, change: RoleFileChange): string {
  const doc = parseRoleFile(text, file);
  if (change.kind === 'add-statement') {
    const statement = doc.createNode(change.statement);
    quoteDates(statement);
    const existing = findPolicyDocument(doc, change.policyName);
    if (existing !== undefined) {
      const statements = existing.get('Statement', true);
      if (isSeq(statements)) statements.items.push(statement);
      else existing.set('Statement', doc.createNode([statements, statement].filter((s) => s !== undefined)));
    } else {
      const policyDocument = doc.createNode({ Version: '2012-10-17', Statement: [statement] });
      quoteDates(policyDocument);
      const policies = doc.get('inlinePolicies', true);
      if (isSeq(policies)) policies.items.push(doc.createNode({ name: change.policyName, document: policyDocument }));
      else if (isMap(policies)) policies.set(change.policyName, policyDocument);
      else doc.set('inlinePolicies', doc.createNode({ [change.policyName]: policyDocument }));
    }
  } else {
    const trust = doc.get('trust', true);
    const entry = doc.createNode(change.entry);
    quoteDates(entry);
    if (!isMap(trust)) throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `${file}: cannot add a trust entry, the role has no trust map`);
    const accounts = trust.get('accounts', true);
    if (isSeq(accounts)) accounts.items.push(entry);
    else trust.set('accounts', doc.createNode([entry]));
  }
  return render(doc, text);
}

function countTrust(trust: YAMLMap): number {
  let n = 0;
  for (const key of ['accounts', 'services', 'oidc', 'saml']) {
    const node = trust.get(key, true);
    if (isSeq(node)) n += node.items.length;
  }
  return n;
}

/**
 * Removes expired parts from a role file: trust entries by index under `trust.accounts`, statements by
 * index under an inline policy (the policy goes when its last statement goes). A removal that would
 * leave the role trusting nobody is skipped with a reason (remove the role instead, which is a decision).
 */
export function removeExpiredParts(text: string, file: string, parts: readonly ExpiredPart[]): RemoveExpiredResult {
  const doc = parseRoleFile(text, file);
  const removed: ExpiredPart[] = [];
  const skipped: { part: ExpiredPart; reason: string }[] = [];
  // Highest index first, so earlier indices stay valid.
  const ordered = [...parts].sort((a, b) => b.index - a.index);
  for (const part of ordered) {
    if (part.kind === 'trust') {
      const trust = doc.get('trust', true);
      const accounts = isMap(trust) ? trust.get('accounts', true) : undefined;
      if (!isMap(trust) || !isSeq(accounts) || part.index >= accounts.items.length) {
        skipped.push({ part, reason: `trust.accounts[${part.index}] is not in the file` });
        continue;
      }
      if (countTrust(trust) <= 1) {
        skipped.push({ part, reason: `trust.accounts[${part.index}] is the role's last trust: removing it leaves a role nobody can assume; remove the role or set expires on it` });
        continue;
      }
      accounts.items.splice(part.index, 1);
      if (accounts.items.length === 0) trust.delete('accounts');
      removed.push(part);
      continue;
    }
    const policyDocument = findPolicyDocument(doc, part.policyName);
    const statements = policyDocument?.get('Statement', true);
    if (policyDocument === undefined || (isSeq(statements) ? part.index >= statements.items.length : part.index !== 0)) {
      skipped.push({ part, reason: `statement ${part.index} of inline policy "${part.policyName}" is not in the file` });
      continue;
    }
    const last = !isSeq(statements) || statements.items.length === 1;
    if (!last && isSeq(statements)) {
      statements.items.splice(part.index, 1);
    } else {
      const policies = doc.get('inlinePolicies', true);
      if (isMap(policies)) policies.delete(part.policyName);
      else if (isSeq(policies)) policies.items = policies.items.filter((item) => !(isMap(item) && item.get('name') === part.policyName));
      if ((isMap(policies) || isSeq(policies)) && policies.items.length === 0) doc.delete('inlinePolicies');
    }
    removed.push(part);
  }
  return { text: removed.length === 0 ? text : render(doc, text), removed: removed.reverse(), skipped: skipped.reverse() };
}
