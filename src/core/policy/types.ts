/** JSON shapes of IAM policy documents as AWS accepts them (string-or-array everywhere). */

export type StringOrArray = string | readonly string[];

export type PrincipalJson = '*' | { readonly [principalType: string]: StringOrArray };

export type ConditionValueJson = string | number | boolean | readonly (string | number | boolean)[];

export type ConditionJson = { readonly [operator: string]: { readonly [key: string]: ConditionValueJson } };

export interface StatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: PrincipalJson;
  readonly NotPrincipal?: PrincipalJson;
  readonly Action?: StringOrArray;
  readonly NotAction?: StringOrArray;
  readonly Resource?: StringOrArray;
  readonly NotResource?: StringOrArray;
  readonly Condition?: ConditionJson;
}

export interface PolicyDocumentJson {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: StatementJson | readonly StatementJson[];
}

/** Normalized principal: `'*'` or a map of principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`) to sorted values. */
export type Principal = '*' | { readonly [principalType: string]: readonly string[] };

/** Normalized conditions: operator → key → values, every value a string (IAM compares strings). */
export type Conditions = { readonly [operator: string]: { readonly [key: string]: readonly string[] } };

/** The policy language version every document should declare. */
export const POLICY_VERSION = '2012-10-17';

/** Principal types IAM knows. */
export const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
