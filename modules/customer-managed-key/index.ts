export { customerManagedKeyConfig, KEY_DELETION_WINDOW_DAYS } from './customer-managed-key';
export type { CustomerManagedKeyOptions } from './customer-managed-key';
