export { findScpCoverageGaps, listScpsReachingOu, MIN_SIBLINGS_COMPARED } from './scp-coverage';
export type { FindScpCoverageGapsOptions } from './scp-coverage';
