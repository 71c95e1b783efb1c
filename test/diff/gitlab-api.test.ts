/** The GitLab notes client's failures: a refused token and an unreachable server are user-facing errors without the token. */
import { GitLabClient } from '../../src/io/gitlab';
import { startFakeGitLab, type FakeGitLab } from './support/fake-gitlab';
import { findFreePort } from '../support/moto-server';

describe('GitLabClient errors', () => {
  let gitlab: FakeGitLab;
  beforeAll(async () => {
    gitlab = await startFakeGitLab({ token: 'right-token', projectId: '42' });
  });
  afterAll(() => gitlab.close());

  it('names the call and the status, and says what to check, when the token is refused', async () => {
    const client = new GitLabClient({ apiUrl: gitlab.apiUrl, projectId: '42', token: 'wrong-token' });
    const error = await client.upsertMergeRequestNote(7, 'body', 'marker').catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'GitLab list notes of merge request !7 failed: HTTP 401 {"message":"401 Unauthorized"}: check that the project access token is set, unexpired and has the api scope',
    );
    expect((error as Error).message).not.toContain('wrong-token');
  });

  it('says which server could not be reached', async () => {
    const port = await findFreePort();
    const client = new GitLabClient({ apiUrl: `http://127.0.0.1:${port}/api/v4`, projectId: '42', token: 't' });
    await expect(client.listMergeRequestNotes(7)).rejects.toThrow(`GitLab list notes of merge request !7 failed: fetch failed (http://127.0.0.1:${port}/api/v4)`);
  });
});
