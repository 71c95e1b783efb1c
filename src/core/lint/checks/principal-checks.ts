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
