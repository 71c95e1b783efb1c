/** ARN builders for the IAM resources the platform manages. Pure string work, no lookups. */

/** The AWS partition of every ARN the platform builds. @default 'aws' */
export const DEFAULT_PARTITION = 'aws';

function normalizePath(path: string): string {
  if (path === '' || path === '/') return '/';
  const withLeading = path.startsWith('/') ? path : `/${path}`;
  return withLeading.endsWith('/') ? withLeading : `${withLeading}/`;
}

/** `arn:aws:iam::123456789012:role/path/name`. */
export function roleArn(accountId: string, name: string, path = '/', partition = DEFAULT_PARTITION): string {
  return `arn:${partition}:iam::${accountId}:role${normalizePath(path)}${name}`;
}

/** `arn:aws:iam::123456789012:policy/path/name` for a customer managed policy. */
export function customerPolicyArn(accountId: string, name: string, path = '/', partition = DEFAULT_PARTITION): string {
  return `arn:${partition}:iam::${accountId}:policy${normalizePath(path)}${name}`;
}

/** `arn:aws:iam::aws:policy/ReadOnlyAccess`; names may carry a path (`job-function/ViewOnlyAccess`). */
export function awsManagedPolicyArn(name: string, partition = DEFAULT_PARTITION): string {
  return `arn:${partition}:iam::aws:policy/${name.replace(/^\/+/, '')}`;
}

/** `arn:aws:iam::123456789012:root`: the whole account as a principal. */
export function accountRootArn(accountId: string, partition = DEFAULT_PARTITION): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/** Host part of an OIDC issuer URL as IAM uses it in provider ARNs and condition keys (`gitlab.com`). */
export function oidcHost(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

/** `arn:aws:iam::123456789012:oidc-provider/gitlab.com`. */
export function oidcProviderArn(accountId: string, url: string, partition = DEFAULT_PARTITION): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${oidcHost(url)}`;
}

/** SAML provider ARN from a name, or the ARN unchanged. */
export function samlProviderArn(accountId: string, nameOrArn: string, partition = DEFAULT_PARTITION): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:${partition}:iam::${accountId}:saml-provider/${nameOrArn}`;
}

/** True for a 12-digit AWS account id. */
export function isAccountId(value: string): boolean {
  return /^\d{12}$/.test(value);
}
