export { advanceRecord, buildAccountRecords, buildRemediationRecord, remediationVersion, canonicalJson, DEFAULT_POLICY_RECORD_TABLE, hashContent, POLICY_RECORD_SCHEMA_VERSION, RECORD_STATUSES, REGISTRY_TABLE_KEYS } from './policy-record';
export type { BuildAccountRecordsOptions, BuildRemediationRecordOptions, PolicyRecord, RecordedPolicy, RecordedRemediation, RecordedRole, RecordEvent, RecordStatus } from './policy-record';
export { listAccountVersions, renderHistoryText, ROLLBACK_STATUSES, selectRollbackTarget } from './account-history';
export type { AccountVersion } from './account-history';
