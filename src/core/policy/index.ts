export { PolicyDocument, Statement, decodePolicyText, measureJsonSize } from './policy-document';
export type { StatementProps, PolicyDocumentFromJsonOptions } from './policy-document';
export { validatePolicyDocument } from './validate';
export type { ValidatePolicyOptions } from './validate';
export * from './limits';
export { POLICY_VERSION, PRINCIPAL_TYPES } from './types';
export type {
  Conditions,
  ConditionJson,
  ConditionValueJson,
  PolicyDocumentJson,
  Principal,
  PrincipalJson,
  StatementJson,
  StringOrArray,
} from './types';
export { findJsonLocation, locateJsonValues } from './json-locations';
export type { JsonLocation, JsonLocations } from './json-locations';
export { checkPolicyType, conditionsOn, locateStatementPath, locateStatements } from './statement-locations';
export type { ConditionEntry, LocatedDocument, LocatedStatement, PolicyElement, PrincipalLocation } from './statement-locations';
export type { ParsedPolicyDocument } from './policy-document';
