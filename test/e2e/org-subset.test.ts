/**
 * Terraform end to end inside `npm test`: two accounts, the organization stacks and what moto serves of the
 * security baseline of the example organization, applied by real Terraform (the locally built AWS provider)
 * against one moto.
 * Needs `npm run setup` (moto and setup:terraform); fails, never skips, without them.
 * The whole organization runs with `npm run e2e`.
 */
import { describeOrgScenario } from './support/org-scenario';

describeOrgScenario('example organization against moto (subset: app-dev, security, organization)', {
  accounts: ['app-dev', 'security'],
  organization: true,
  // The baseline's Config aggregator role lands in the security account: that account's desired state holds it.
  securityBaseline: true,
});
