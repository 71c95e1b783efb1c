/** The one table of IAM write events, held against the IAM catalog's write actions. */
import { buildIamWriteEventNamePattern, IAM_PERMISSION_ONLY_ACTIONS, IAM_WRITE_EVENT_NAMES, isIamWriteEvent } from '../../src/core/iam';
import { loadActionCatalog } from '../../src/io/catalog';

const catalog = loadActionCatalog();
const iamActions = catalog.listActions('iam');
const writes = iamActions.filter((a) => a.accessLevel === 'Write' || a.accessLevel === 'Permissions management' || a.accessLevel === 'Tagging').map((a) => a.name);
const reads = iamActions.filter((a) => a.accessLevel === 'Read' || a.accessLevel === 'List').map((a) => a.name);

describe('IAM_WRITE_EVENT_NAMES', () => {
  it("holds every Write, Permissions management and Tagging action of the catalog's iam service, except permission-only ones", () => {
    expect(writes.length).toBeGreaterThan(100);
    const missing = writes.filter((name) => !isIamWriteEvent(name) && !(name in IAM_PERMISSION_ONLY_ACTIONS));
    expect(missing).toEqual([]);
  });

  it('holds nothing that is not a write action of the catalog, and is sorted without duplicates', () => {
    expect(IAM_WRITE_EVENT_NAMES.filter((name) => !writes.includes(name))).toEqual([]);
    expect([...IAM_WRITE_EVENT_NAMES]).toEqual([...new Set(IAM_WRITE_EVENT_NAMES)].sort());
  });

  it('includes the calls the old rule missed', () => {
    for (const name of ['DeleteRole', 'UpdateRoleDescription', 'CreateGroup', 'PutGroupPolicy', 'CreateLoginProfile', 'AddRoleToInstanceProfile', 'CreateOpenIDConnectProvider', 'CreateSAMLProvider', 'UpdateSAMLProvider']) {
      expect(isIamWriteEvent(name)).toBe(true);
    }
  });

  it('the EventBridge prefixes match every write name and no read or list action', () => {
    const prefixes = buildIamWriteEventNamePattern().map((p) => p.prefix);
    expect(IAM_WRITE_EVENT_NAMES.filter((name) => !prefixes.some((p) => name.startsWith(p)))).toEqual([]);
    expect(reads.length).toBeGreaterThan(50);
    expect(reads.filter((name) => prefixes.some((p) => name.startsWith(p)))).toEqual([]);
  });
});
