/**
 * {@link SecretStore} over the AWS SDK's Secrets Manager client: the four calls rotation makes.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { type SecretStore, type SecretVersion, STAGE } from './rotate-access-key';

/** A {@link SecretStore} that sends through `client` (the Lambda's role, or a test's endpoint). */
export function createSecretsManagerStore(client: SecretsManagerClient): SecretStore {
  return {
    describeVersions: async (secretId) => {
      const out = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
      return out.VersionIdsToStages ?? {};
    },
    getVersion: async (secretId, selector): Promise<SecretVersion | undefined> => {
      try {
        const out = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: selector.stage, ...(selector.versionId ? { VersionId: selector.versionId } : {}) }));
        if (out.SecretString === undefined || out.VersionId === undefined) return undefined;
        return { versionId: out.VersionId, value: out.SecretString, createdAt: out.CreatedDate ?? new Date(0) };
      } catch (error) {
        // A stage or version that does not exist (yet): rotation treats it as absent.
        if (error instanceof ResourceNotFoundException) return undefined;
        throw error;
      }
    },
    putPending: async (secretId, versionId, value) => {
      await client.send(new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: versionId, SecretString: value, VersionStages: [STAGE.pending] }));
    },
    promote: async (secretId, versionId, fromVersionId) => {
      await client.send(
        new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: STAGE.current, MoveToVersionId: versionId, ...(fromVersionId ? { RemoveFromVersionId: fromVersionId } : {}) }),
      );
    },
  };
}
