export { mapTrustPolicy } from './map-trust';
export type { ImportedAccountTrust, ImportedOidcTrust, ImportedTrust, TrustMapping } from './map-trust';
export {
  DEFAULT_IMPORTED_SESSION_SECONDS,
  IMPORT_MARKER,
  IMPORTED_WITHOUT_BOUNDARY_REASON,
  isAdoptionEmpty,
  mergeAdopting,
  mergeImportIds,
  planAccountImport,
  PLATFORM_TAG_KEYS,
} from './plan-import';
export type {
  AlreadyDefinedRole,
  ConfiguredRole,
  ImportAccountContext,
  ImportedFile,
  ImportedPolicySpec,
  ImportedRoleSpec,
  ImportIds,
  ImportPlan,
  SkippedResource,
} from './plan-import';
export { IMPORT_FORMATS, renderImportJson, renderImportResult, renderImportText } from './render-import';
export type { ImportFormat, ImportResult } from './render-import';
export { compareImported } from './compare-imported';
export type { ImportComparison, PlatformTagAddition } from './compare-imported';
