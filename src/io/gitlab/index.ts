export { GitLabClient, GITLAB_MAX_PER_PAGE, GITLAB_TOKEN_VARIABLE, MAX_NOTE_PAGES, readMergeRequestContext } from './gitlab-api';
export type { CreateMergeRequestOptions, FetchFunction, GitLabClientOptions, GitLabCommitAction, GitLabMergeRequest, GitLabNote, GitLabUser, MergeRequestContext, UpsertNoteResult } from './gitlab-api';
