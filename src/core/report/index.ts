export { buildSarifLog, SARIF_SCHEMA_URI, SARIF_VERSION } from './sarif';
export type { SarifLevel, SarifLogInput, SarifResultInput, SarifRuleInput } from './sarif';
export { buildJUnitXml, escapeXml } from './junit';
export type { JUnitCaseInput, JUnitSuiteInput } from './junit';
