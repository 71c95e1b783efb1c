import { CreateRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { MOTO_CREDENTIALS, MOTO_REGION, type MotoServer, startMotoServer } from '../support/moto-server';

describe('startMotoServer', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
  });
  afterAll(() => moto.stop());

  it('serves IAM on a loopback port and reset clears state', async () => {
    // Given a role created in moto
    const iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await iam.send(new CreateRoleCommand({ RoleName: 'probe', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }));
    expect((await iam.send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName)).toEqual(['probe']);
    // When the server is reset
    await moto.reset();
    // Then the role is gone
    expect((await iam.send(new ListRolesCommand({}))).Roles).toEqual([]);
  });
});
