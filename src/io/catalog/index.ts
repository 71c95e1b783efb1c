export { EXTRA_GLOBAL_CONDITION_KEYS, IAM_DATA_PACKAGE, dateFromVersion, loadActionCatalog, readAwsNames, readIamData } from './load-action-catalog';
