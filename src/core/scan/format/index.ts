export { renderScanText } from './text';
export { renderScanJson } from './json';
export { renderScanJUnit } from './junit';
export { renderScanSarif } from './sarif';
export { buildGitlabSastReport, renderScanGitlabSast, GITLAB_SAST_SCHEMA_VERSION } from './gitlab-sast';
export type { GitlabSastOptions } from './gitlab-sast';
