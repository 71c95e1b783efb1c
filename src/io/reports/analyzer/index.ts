export { MAX_LISTED_ACTIONS, describeWindow, renderAnalyzerText, summarizePrincipal } from './render-text';
export { ANALYZER_JSON_VERSION, renderAnalyzerJson } from './render-json';
export { ANALYZER_CSV_COLUMNS, renderAnalyzerCsv } from './render-csv';
export { renderAnalyzerMarkdown } from './render-markdown';
export { renderAnalyzerHtml, renderGrantedUsedChart } from './render-html';
export { ANALYZER_FORMATS, renderAnalyzerReport } from './render-report';
export type { AnalyzerFormat } from './render-report';
