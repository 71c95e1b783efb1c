/** `npm run e2e`: every account stack and the organization stacks of the example organization. */
import { loadOrganization } from '../../src/config';
import { describeOrgScenario } from './support/org-scenario';

const accounts = loadOrganization(`${__dirname}/../..`).accounts.map((a) => a.name);
describeOrgScenario('example organization against moto (every stack)', { accounts, organization: true, securityBaseline: true });
