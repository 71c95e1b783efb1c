import { PolicyDocument, type PolicyDocumentJson } from '../policy';

function parseOrUndefined(document: unknown): PolicyDocument | undefined {
  try {
    return PolicyDocument.fromJson(document);
  } catch {
    return undefined;
  }
}

/**
 * Semantic equality of two policy documents ({@link PolicyDocument.equals}: order-insensitive, single
 * values equal to one-element arrays, Sids ignored). A document the policy model rejects (IAM emulators
 * accept anything) is compared by its exact JSON instead, so it is never silently equal.
 */
export function documentsEqual(a: PolicyDocumentJson | unknown, b: PolicyDocumentJson | unknown): boolean {
  const left = parseOrUndefined(a);
  const right = parseOrUndefined(b);
  if (left && right) return left.equals(right);
  return JSON.stringify(a) === JSON.stringify(b);
}
