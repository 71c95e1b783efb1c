import { createFinding } from '../finding';
import type { LintFinding } from '../types';
import type { CheckContext } from './check-context';

/**
 * not-principal-allow: `Allow` with `NotPrincipal` in a resource or trust policy grants every principal not
 * listed, anonymous ones included (IAM User Guide, "AWS JSON policy elements: NotPrincipal": "we strongly
 * recommend that you do not use NotPrincipal with Allow").
 */
export function checkNotPrincipalAllow(ctx: CheckContext): LintFinding[] {
  return ctx.view.statements
    .filter((st) => st.effect === 'Allow' && st.notPrincipal !== undefined)
    .map((st) =>
      createFinding(
        'not-principal-allow',
        st.notPrincipal!.path,
        'Allow with NotPrincipal grants every principal that is not listed, anonymous callers and every other account included: name the principals in Principal instead',
      ),
    );
}

/**
 * unknown-service-principal: a `Principal.Service`, `iam:PassedToService` or `iam:AWSServiceName` value that AWS does not define (`lamda.amazonaws.com`). IAM rejects the
 * policy at apply ("Invalid principal in policy"). Error when a known principal is one typo away, else a warning
 * (the list is AWS's own policies' principals plus `<prefix>.amazonaws.com`, and may lag a new service).
 */
export function checkServicePrincipals(ctx: CheckContext): LintFinding[] {
  const names = ctx.catalog.awsNames;
  if (!names) return [];
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    const named = [
      ...[...(st.principal?.entries ?? []), ...(st.notPrincipal?.entries ?? [])].filter((e) => e.type === 'Service').map((e) => ({ ...e, effect: 'IAM rejects the policy at apply' })),
      // Condition values that name a service principal: iam:PassedToService, iam:AWSServiceName.
      ...st.conditions
        .filter((c) => /^iam:(PassedToService|AWSServiceName)$/i.test(c.key))
        .flatMap((c) => c.values.map((value, i) => ({ value, path: c.values.length > 1 ? `${c.path}[${i}]` : c.path, effect: `the ${c.key} condition never matches it` }))),
    ];
    for (const el of named) {
      if (el.value.includes('*') || el.value.includes('$') || !el.value.includes('.')) continue;
      const found = names.lookUpServicePrincipal(el.value);
      if (found.status === 'ok') continue;
      if (found.status === 'retired') {
        out.push(
          createFinding(
            'unknown-service-principal',
            el.path,
            `Service principal "${el.value}" is named only by AWS managed policies that AWS deprecated (data of ${names.date}): a retired service or stage; ${el.effect}`,
            'warning',
          ),
        );
        continue;
      }
      out.push(
        found.suggestion
          ? createFinding('unknown-service-principal', el.path, `Service principal "${el.value}" does not exist; did you mean "${found.suggestion}"? ${el.effect}`)
          : createFinding(
              'unknown-service-principal',
              el.path,
              `Service principal "${el.value}" is not one AWS's policies name (data of ${names.date}): check the service's documentation for its principal`,
              'warning',
            ),
      );
    }
  }
  return out;
}
