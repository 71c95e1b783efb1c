/**
 * Statements that several resource policies of the platform share, built in one place so a fix
 * reaches every bucket and key at once.
 */
import type { StatementJson } from '../policy';

/**
 * The key policy statement that keeps a KMS key manageable by IAM in its own account (without it a
 * key can become unmanageable: AWS KMS developer guide, "Default key policy").
 */
export function keyAdministrationStatement(accountId: string, partition = 'aws'): StatementJson {
  return { Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' };
}

/** The bucket policy statement that refuses every request not made over TLS (checkov CKV_AWS_379, Security Hub S3.5). */
export function denyInsecureTransportStatement(bucketArn: string): StatementJson {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
