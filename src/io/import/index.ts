export { finishAdoption, IMPORTS_FILE, isWrittenByImport, readImportIds, writeAccountImport } from './write-account-import';
export type { FinishedAdoption, ImportsFileContent, WriteAccountImportOptions, WrittenFile } from './write-account-import';
export { readAccountForImport } from './read-account-for-import';
export type { ReadAccountForImportOptions } from './read-account-for-import';
