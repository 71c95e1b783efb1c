/**
 * IAM condition operators: parsing (`ForAnyValue:StringLikeIfExists`) and which operator families
 * fit which condition-key types.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */

/** Operator families. */
export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

const FAMILIES: ReadonlyMap<string, OperatorFamily> = new Map([
  ...['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'].map((o) => [o, 'String'] as const),
  ...['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'].map(
    (o) => [o, 'Numeric'] as const,
  ),
  ...['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'].map((o) => [o, 'Date'] as const),
  ['Bool', 'Bool'],
  ['BinaryEquals', 'Binary'],
  ['IpAddress', 'IpAddress'],
  ['NotIpAddress', 'IpAddress'],
  ...['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'].map((o) => [o, 'Arn'] as const),
  ['Null', 'Null'],
]);

/** A parsed operator. */
export interface ParsedOperator {
  /** `ForAllValues` or `ForAnyValue` when the operator compares sets. */
  readonly setQualifier?: 'ForAllValues' | 'ForAnyValue';
  /** Operator without qualifier and `IfExists` (`StringLike`). */
  readonly base: string;
  readonly ifExists: boolean;
  readonly family: OperatorFamily;
  /** True for the negated operators (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`). */
  readonly negated: boolean;
}

/** Parses an operator; undefined when IAM does not know it. Operator names are case-sensitive in IAM. */
export function parseConditionOperator(operator: string): ParsedOperator | undefined {
  let rest = operator;
  let setQualifier: ParsedOperator['setQualifier'];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const qualifier = rest.slice(0, colon);
    if (qualifier !== 'ForAllValues' && qualifier !== 'ForAnyValue') return undefined;
    setQualifier = qualifier;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.endsWith('IfExists');
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const family = FAMILIES.get(base);
  if (!family || (family === 'Null' && (ifExists || setQualifier))) return undefined;
  return { setQualifier, base, ifExists, family, negated: /Not/.test(base) };
}

/** Every operator name IAM knows, without qualifiers and IfExists (for "did you mean"). */
export function listConditionOperators(): readonly string[] {
  return [...FAMILIES.keys()];
}

/** Operator families that fit a condition-key type from the reference data; undefined when any fits. */
export function familiesForKeyType(type: string): readonly OperatorFamily[] | undefined {
  const single = type.replace(/^ArrayOf/, '');
  switch (single) {
    case 'String':
      // IAM accepts ARN operators on String keys (ArnLike on aws:userid-like values is valid), as AWS's validator does.
      return ['String', 'Arn'];
    case 'ARN':
      // IAM evaluates String operators on ARN keys, but AWS's policy validator warns on them: Arn operators compare
      // the ARN segment by segment, so a wildcard cannot spill over a ':' (IAM User Guide, "ARN condition operators").
      return ['Arn'];
    case 'Bool':
    case 'Boolean':
      return ['Bool'];
    case 'Numeric':
    case 'Long':
    case 'Integer':
      return ['Numeric'];
    case 'Date':
      // Date keys take ISO 8601 dates or epoch seconds; aws:EpochTime is usually compared numerically.
      return ['Date', 'Numeric'];
    case 'IPAddress':
    case 'IpAddress':
      return ['IpAddress'];
    case 'Binary':
      return ['Binary'];
    default:
      return undefined;
  }
}

const IPV4_CIDR = /^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+(\/\d{1,3})?$/;

/** A problem with a value for the operator's family, or undefined when the value fits. Policy variables are not checked. */
export function checkConditionValue(family: OperatorFamily, value: string): string | undefined {
  if (value.includes('${')) return undefined;
  switch (family) {
    case 'Bool':
    case 'Null':
      return value === 'true' || value === 'false' ? undefined : `expects "true" or "false", got "${value}"`;
    case 'Numeric':
      return /^-?\d+(\.\d+)?$/.test(value) ? undefined : `expects a number, got "${value}"`;
    case 'Date':
      return /^\d+$/.test(value) || !Number.isNaN(Date.parse(value)) ? undefined : `expects an ISO 8601 date or epoch seconds, got "${value}"`;
    case 'IpAddress':
      return IPV4_CIDR.test(value) || (value.includes(':') && IPV6_CIDR.test(value)) ? undefined : `expects an IP address or CIDR, got "${value}"`;
    default:
      return undefined;
  }
}
