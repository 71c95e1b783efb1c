export { GitLabClient, GITLAB_MAX_PER_PAGE, GITLAB_TOKEN_VARIABLE, MAX_NOTE_PAGES, readMergeRequestContext } from './gitlab-api';
export type { FetchFunction, GitLabClientOptions, GitLabMergeRequest, GitLabNote, MergeRequestContext, UpsertNoteResult } from './gitlab-api';
