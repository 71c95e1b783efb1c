export { ensureKeyedTable, type TableKeys } from './ensure-table';
