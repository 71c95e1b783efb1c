/** The live read takes pages, not a call per role: 1,000 roles in moto, and truncated pages from a fake IAM. */
import { CreateRoleCommand, GetAccountAuthorizationDetailsCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { countApiCalls, readLiveInventory } from '../../src/io/iam';
import { MOTO_CREDENTIALS, MOTO_REGION, type MotoServer, startMotoServer } from '../support/moto-server';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const ROLE_COUNT = 1000;

describe('readLiveInventory pagination', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
    const iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const names = Array.from({ length: ROLE_COUNT }, (_, i) => `role-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 25) {
      await Promise.all(names.slice(i, i + 25).map((RoleName) => iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 7200 }))));
    }
  });
  afterAll(() => moto.stop());

  it.each([
    [1000, 1],
    [300, 4],
  ])('reads 1,000 roles with page size %i in %i ListRoles page(s)', async (pageSize, rolePages) => {
    const iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const calls = countApiCalls(iam);
    const live = await readLiveInventory(iam, { accountId: '123456789012', pageSize });
    expect(live.roles).toHaveLength(ROLE_COUNT);
    expect(new Set(live.roles.map((r) => r.name)).size).toBe(ROLE_COUNT);
    expect(live.roles.every((r) => r.maxSessionDuration === 7200)).toBe(true);
    // moto answers GetAccountAuthorizationDetails in one page whatever MaxItems says; ListRoles pages.
    expect(calls().byCommand).toEqual({ GetAccountAuthorizationDetails: 1, ListRoles: rolePages, ListOpenIDConnectProviders: 1 });
  });

  it('follows GetAccountAuthorizationDetails markers until IsTruncated is false', async () => {
    // Given an IAM that returns 1,000 roles in pages of 400
    const all = Array.from({ length: ROLE_COUNT }, (_, i) => ({ RoleName: `r${i}`, Path: '/', Arn: `arn:aws:iam::123456789012:role/r${i}`, AssumeRolePolicyDocument: encodeURIComponent(TRUST) }));
    const sent: string[] = [];
    const fake = {
      send: async (command: unknown) => {
        if (command instanceof GetAccountAuthorizationDetailsCommand) {
          const start = Number(command.input.Marker ?? '0');
          sent.push(`GAAD:${command.input.Marker ?? '-'}`);
          const end = Math.min(start + 400, all.length);
          return { RoleDetailList: all.slice(start, end), Policies: [], IsTruncated: end < all.length, ...(end < all.length ? { Marker: String(end) } : {}) };
        }
        if (command instanceof ListRolesCommand) {
          sent.push('ListRoles');
          return { Roles: [], IsTruncated: false };
        }
        throw new Error('unexpected call');
      },
    } as unknown as IAMClient;
    // When the inventory is read
    const live = await readLiveInventory(fake, { accountId: '123456789012', includeOidcProviders: false });
    // Then every page was followed once, and documents were URL-decoded
    expect(sent).toEqual(['GAAD:-', 'GAAD:400', 'GAAD:800', 'ListRoles']);
    expect(live.roles).toHaveLength(ROLE_COUNT);
    expect(live.roles[999].trustPolicy).toEqual(JSON.parse(TRUST));
  });
});
