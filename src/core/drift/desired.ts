/** Constants of the desired state; the inventory itself is read from the stack (terraform-inventory.ts). */

/** Role kinds remediation never touches. */
export const PROTECTED_ROLE_KINDS: readonly string[] = ['break-glass', 'pipeline'];

/** IAM path prefix reserved for platform resources: in scope even when the managed-by tag was removed. */
export const PLATFORM_PATH_PREFIX = '/iam-platform/';
