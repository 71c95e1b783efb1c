import { randomBytes } from 'node:crypto';
import { loadActionCatalog } from '../../io/catalog';
import { createPortalServer, loadPortalContext, type LocalAuthOptions, type ServiceAuthOptions } from '../../portal';
import { invalidArgument, type CommandContext, type CommandModule } from '../program';

/** Environment variable with the user's GitLab token (local mode). */
export const LOCAL_TOKEN_VARIABLE = 'GITLAB_TOKEN';
/** Environment variables of the OAuth application (service mode). */
export const OAUTH_CLIENT_ID_VARIABLE = 'IAMCTL_OAUTH_CLIENT_ID';
export const OAUTH_CLIENT_SECRET_VARIABLE = 'IAMCTL_OAUTH_CLIENT_SECRET';
/** Default GitLab API when neither --api-url nor CI_API_V4_URL is set. */
export const DEFAULT_GITLAB_API_URL = 'https://gitlab.com/api/v4';

interface ServeFlags {
  readonly port: string;
  readonly host: string;
  readonly project?: string;
  readonly apiUrl?: string;
  readonly targetBranch: string;
  readonly mode: string;
  readonly publicUrl?: string;
}

async function runServe(context: CommandContext, flags: ServeFlags): Promise<void> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) invalidArgument(`--port must be a port number (0-65535), got "${flags.port}"`);
  const project = flags.project ?? process.env.CI_PROJECT_ID;
  if (project === undefined || project === '') invalidArgument('--project is required: the GitLab project id or path of this repository (acme/platform/iam), or set CI_PROJECT_ID');
  const apiUrl = (flags.apiUrl ?? process.env.CI_API_V4_URL ?? DEFAULT_GITLAB_API_URL).replace(/\/+$/, '');
  let auth: LocalAuthOptions | ServiceAuthOptions;
  if (flags.mode === 'local') {
    const token = process.env[LOCAL_TOKEN_VARIABLE];
    if (token === undefined || token === '') invalidArgument(`local mode needs your GitLab personal access token (api scope) in ${LOCAL_TOKEN_VARIABLE}`);
    if (flags.host !== '127.0.0.1' && flags.host !== 'localhost' && flags.host !== '::1') invalidArgument(`local mode acts with your own token: listen on loopback only (--host 127.0.0.1), not "${flags.host}"; use --mode service to serve others`);
    auth = { mode: 'local', token, loginToken: randomBytes(24).toString('base64url') };
  } else if (flags.mode === 'service') {
    const clientId = process.env[OAUTH_CLIENT_ID_VARIABLE];
    const clientSecret = process.env[OAUTH_CLIENT_SECRET_VARIABLE];
    const missing = [...(clientId ? [] : [OAUTH_CLIENT_ID_VARIABLE]), ...(clientSecret ? [] : [OAUTH_CLIENT_SECRET_VARIABLE]), ...(flags.publicUrl ? [] : ['--public-url'])];
    if (missing.length > 0) invalidArgument(`service mode needs ${missing.join(', ')}: register an OAuth application in GitLab (scopes openid, api; redirect URI <public-url>/oauth/callback), see docs/portal.md`);
    auth = { mode: 'service', gitlabUrl: apiUrl.replace(/\/api\/v4$/, ''), clientId: clientId!, clientSecret: clientSecret!, publicUrl: flags.publicUrl! };
  } else {
    invalidArgument(`--mode must be local or service, got "${flags.mode}"`);
  }
  const portal = loadPortalContext(context.cwd, loadActionCatalog(), flags.targetBranch);
  const app = await createPortalServer({ context: portal, apiUrl, projectId: project, auth });
  const address = await app.listen({ port, host: flags.host });
  context.output.message(`iamctl serve: access portal on ${address} (${flags.mode} mode, project ${project}, target branch ${flags.targetBranch}); Ctrl-C stops it`);
  if (auth.mode === 'local') context.output.message(`iamctl serve: sign in by opening ${address}/login?token=${auth.loginToken}`);
  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void app.close().then(() => resolveStop());
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `iamctl serve`: the self-service access portal (find access, request it, see your requests). */
export const serveCommand: CommandModule = {
  register(program, context) {
    program
      .command('serve')
      .description('Self-service access portal: find access, request it as a reviewed merge request, follow your requests (docs/portal.md)')
      .option('--port <port>', 'port to listen on (0: any free port)', '8080')
      .option('--host <host>', 'address to listen on (local mode: loopback only)', '127.0.0.1')
      .option('--project <id>', 'GitLab project id or path of this repository (default: CI_PROJECT_ID)')
      .option('--api-url <url>', `GitLab REST API base (default: CI_API_V4_URL, else ${DEFAULT_GITLAB_API_URL})`)
      .option('--target-branch <branch>', 'branch the merge requests target', 'main')
      .option('--mode <mode>', `local (your ${LOCAL_TOKEN_VARIABLE}) or service (GitLab OAuth sign-in)`, 'local')
      .option('--public-url <url>', 'service mode: URL users reach the portal at (the OAuth redirect is <url>/oauth/callback)')
      .action((flags: ServeFlags) => runServe(context, flags));
  },
};
