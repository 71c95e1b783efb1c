export { IAM_DATA_PACKAGE, dateFromVersion, loadActionCatalog, readIamData } from './load-action-catalog';
