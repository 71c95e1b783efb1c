/**
 * CloudTrail → IAM mapping as data. Each entry is one known exception to "the eventSource's first
 * label is the IAM prefix and the eventName is the action". New exceptions become rows here (and a
 * case in test/fixtures/cloudtrail/mapping-cases.json), never string heuristics in code.
 *
 * Sources: trailscraper `cloudtrail.py`, cloudtracker `SERVICE_RENAMES`/`NO_IAM`, iam-dataset, the
 * Service Authorization Reference; corrected where those peers are wrong (see docs in each table).
 */

/**
 * eventSource (without `.amazonaws.com`) → IAM service prefix, where they differ.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export const SERVICE_PREFIX_OVERRIDES: Readonly<Record<string, string>> = {
  monitoring: 'cloudwatch',
  email: 'ses',
  appstream2: 'appstream',
  'models.lex': 'lex',
  'runtime.lex': 'lex',
  'mturk-requester': 'mechanicalturk',
  'streams.dynamodb': 'dynamodb',
  tagging: 'tag',
  'runtime.sagemaker': 'sagemaker',
  'api.sagemaker': 'sagemaker',
  'api.ecr': 'ecr',
  'api.ecr-public': 'ecr-public',
  // Cloud Control API calls are authorized as CloudFormation actions (cloudformation:CreateResource, ...)
  cloudcontrolapi: 'cloudformation',
  // AppRegistry's actions live under the Service Catalog prefix (servicecatalog:CreateApplication)
  'servicecatalog-appregistry': 'servicecatalog',
  // Lex V2 runtime and model-building endpoints
  'runtime-v2-lex': 'lex',
  'models-v2-lex': 'lex',
  // data-plane endpoints whose actions are under the service's prefix
  'data.iot': 'iot',
  'data.mediastore': 'mediastore',
  'ingest.timestream': 'timestream',
  'query.timestream': 'timestream',
  'controlplane.payment-cryptography': 'payment-cryptography',
  'dataplane.payment-cryptography': 'payment-cryptography',
  'api.pricing': 'pricing',
  // Amazon Pinpoint's IAM prefix is mobiletargeting
  pinpoint: 'mobiletargeting',
};

/**
 * `prefix:EventName` → the IAM actions the call needs, where the action name differs from the
 * eventName. Keys are exact CloudTrail spelling; values are catalog names.
 * S3 notes: `PutBucketReplication` is `s3:PutReplicationConfiguration` (trailscraper maps it to
 * DeleteReplicationConfiguration); there is no `s3:DeleteBucketOwnershipControls` action (iamlive#89):
 * deleting ownership controls needs `s3:PutBucketOwnershipControls`.
 */
export const EVENT_NAME_RENAMES: Readonly<Record<string, readonly string[]>> = {
  // S3 bucket listing and object reads
  's3:ListBuckets': ['s3:ListAllMyBuckets'],
  's3:HeadObject': ['s3:GetObject'],
  's3:SelectObjectContent': ['s3:GetObject'],
  's3:HeadBucket': ['s3:ListBucket'],
  's3:ListObjects': ['s3:ListBucket'],
  's3:ListObjectsV2': ['s3:ListBucket'],
  's3:ListObjectVersions': ['s3:ListBucketVersions'],
  's3:ListMultipartUploads': ['s3:ListBucketMultipartUploads'],
  's3:ListParts': ['s3:ListMultipartUploadParts'],
  // S3 writes: copies and multipart uploads are PutObject (copies also read the source)
  's3:CopyObject': ['s3:PutObject', 's3:GetObject'],
  's3:CreateMultipartUpload': ['s3:PutObject'],
  's3:UploadPart': ['s3:PutObject'],
  's3:UploadPartCopy': ['s3:PutObject', 's3:GetObject'],
  's3:CompleteMultipartUpload': ['s3:PutObject'],
  's3:DeleteObjects': ['s3:DeleteObject'],
  // S3 bucket configuration
  's3:GetBucketLifecycle': ['s3:GetLifecycleConfiguration'],
  's3:GetBucketLifecycleConfiguration': ['s3:GetLifecycleConfiguration'],
  's3:PutBucketLifecycle': ['s3:PutLifecycleConfiguration'],
  's3:PutBucketLifecycleConfiguration': ['s3:PutLifecycleConfiguration'],
  's3:DeleteBucketLifecycle': ['s3:PutLifecycleConfiguration'],
  's3:GetBucketCors': ['s3:GetBucketCORS'],
  's3:PutBucketCors': ['s3:PutBucketCORS'],
  's3:DeleteBucketCors': ['s3:PutBucketCORS'],
  's3:GetBucketReplication': ['s3:GetReplicationConfiguration'],
  's3:PutBucketReplication': ['s3:PutReplicationConfiguration'],
  's3:DeleteBucketReplication': ['s3:PutReplicationConfiguration'],
  's3:GetBucketEncryption': ['s3:GetEncryptionConfiguration'],
  's3:PutBucketEncryption': ['s3:PutEncryptionConfiguration'],
  's3:DeleteBucketEncryption': ['s3:PutEncryptionConfiguration'],
  's3:DeleteBucketTagging': ['s3:PutBucketTagging'],
  's3:GetBucketNotificationConfiguration': ['s3:GetBucketNotification'],
  's3:PutBucketNotificationConfiguration': ['s3:PutBucketNotification'],
  's3:GetObjectLockConfiguration': ['s3:GetBucketObjectLockConfiguration'],
  's3:PutObjectLockConfiguration': ['s3:PutBucketObjectLockConfiguration'],
  's3:GetBucketInventoryConfiguration': ['s3:GetInventoryConfiguration'],
  's3:ListBucketInventoryConfigurations': ['s3:GetInventoryConfiguration'],
  's3:PutBucketInventoryConfiguration': ['s3:PutInventoryConfiguration'],
  's3:DeleteBucketInventoryConfiguration': ['s3:PutInventoryConfiguration'],
  's3:GetBucketMetricsConfiguration': ['s3:GetMetricsConfiguration'],
  's3:ListBucketMetricsConfigurations': ['s3:GetMetricsConfiguration'],
  's3:PutBucketMetricsConfiguration': ['s3:PutMetricsConfiguration'],
  's3:DeleteBucketMetricsConfiguration': ['s3:PutMetricsConfiguration'],
  's3:GetBucketAnalyticsConfiguration': ['s3:GetAnalyticsConfiguration'],
  's3:ListBucketAnalyticsConfigurations': ['s3:GetAnalyticsConfiguration'],
  's3:PutBucketAnalyticsConfiguration': ['s3:PutAnalyticsConfiguration'],
  's3:DeleteBucketAnalyticsConfiguration': ['s3:PutAnalyticsConfiguration'],
  's3:GetBucketIntelligentTieringConfiguration': ['s3:GetIntelligentTieringConfiguration'],
  's3:ListBucketIntelligentTieringConfigurations': ['s3:GetIntelligentTieringConfiguration'],
  's3:PutBucketIntelligentTieringConfiguration': ['s3:PutIntelligentTieringConfiguration'],
  's3:DeleteBucketIntelligentTieringConfiguration': ['s3:PutIntelligentTieringConfiguration'],
  's3:DeleteBucketOwnershipControls': ['s3:PutBucketOwnershipControls'],
  's3:GetPublicAccessBlock': ['s3:GetBucketPublicAccessBlock'],
  's3:PutPublicAccessBlock': ['s3:PutBucketPublicAccessBlock'],
  's3:DeletePublicAccessBlock': ['s3:PutBucketPublicAccessBlock'],
  's3:GetBucketAccelerateConfiguration': ['s3:GetAccelerateConfiguration'],
  's3:PutBucketAccelerateConfiguration': ['s3:PutAccelerateConfiguration'],
  // Lambda data event: CloudTrail names an invocation `Invoke`
  'lambda:Invoke': ['lambda:InvokeFunction'],
  // KMS: one ReEncrypt call needs both halves (not the kms:ReEncrypt* wildcard, trailscraper#27)
  'kms:ReEncrypt': ['kms:ReEncryptFrom', 'kms:ReEncryptTo'],
};

/**
 * Tag-on-create: a create call whose request carries tags (`tags`, `tagSpecificationSet`, ... see
 * TAG_REQUEST_KEYS) is also authorized against the service's tagging action, so a tightened policy
 * without it breaks the workload. Keyed by the create action (after mapping), the value is the
 * tagging action that becomes used, counted once per tagged call.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/security_iam_id-based-policy-examples-create-and-tag.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/attribute-based-access-control.html
 */
export const TAG_ON_CREATE_ACTIONS: Readonly<Record<string, string>> = {
  'rds:CreateDBInstance': 'rds:AddTagsToResource',
  'rds:CreateDBCluster': 'rds:AddTagsToResource',
  'rds:CreateDBSnapshot': 'rds:AddTagsToResource',
  'rds:CreateDBSubnetGroup': 'rds:AddTagsToResource',
  'ec2:RunInstances': 'ec2:CreateTags',
  'ec2:CreateVolume': 'ec2:CreateTags',
  'ec2:CreateSecurityGroup': 'ec2:CreateTags',
  'ec2:CreateLaunchTemplate': 'ec2:CreateTags',
  'ec2:CreateSnapshot': 'ec2:CreateTags',
  'ec2:CreateVpc': 'ec2:CreateTags',
  'lambda:CreateFunction': 'lambda:TagResource',
  'iam:CreateRole': 'iam:TagRole',
  'iam:CreateUser': 'iam:TagUser',
  'iam:CreatePolicy': 'iam:TagPolicy',
  'secretsmanager:CreateSecret': 'secretsmanager:TagResource',
  'sns:CreateTopic': 'sns:TagResource',
  'sqs:CreateQueue': 'sqs:TagQueue',
  'logs:CreateLogGroup': 'logs:TagResource',
  'dynamodb:CreateTable': 'dynamodb:TagResource',
  'kms:CreateKey': 'kms:TagResource',
  'ecs:CreateCluster': 'ecs:TagResource',
  'states:CreateStateMachine': 'states:TagResource',
};

/**
 * KMS calls that AWS services make on a principal's behalf. CloudTrail logs them in KMS under the
 * calling principal with `userIdentity.invokedBy` set to the service, so they count as that
 * principal's use of the KMS action (and are kept when its policy is tightened). They show only when
 * logged: a KMS key in another account logs there.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/services-s3.html
 * @see https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
 */
export const KMS_CALLS_ON_BEHALF: Readonly<Record<string, readonly string[]>> = {
  's3.amazonaws.com': ['kms:GenerateDataKey', 'kms:Decrypt'],
  'ec2.amazonaws.com': ['kms:CreateGrant', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:Decrypt'],
};

/**
 * Authorization-only actions that no CloudTrail event shows (checked when another call passes a
 * role): reported as unobservable with this note, never as unused.
 */
export const UNOBSERVABLE_NOTES: Readonly<Record<string, string>> = {
  'iam:PassRole': 'checked when a call passes a role to a service (RunInstances, CreateFunction, ...); CloudTrail logs no PassRole event, so its use cannot be seen',
};

/**
 * Calls that need no IAM permission: never counted as used or unmapped (reported under skipped as
 * `permissionless-call`). cloudtracker `NO_IAM`, iam-dataset.
 */
export const PERMISSIONLESS_CALLS: ReadonlySet<string> = new Set([
  'sts:GetCallerIdentity',
  'sts:GetSessionToken',
  'sts:AssumeRoleWithWebIdentity',
  'sts:AssumeRoleWithSAML',
  'signin:ConsoleLogin',
  'signin:CheckMfa',
  'signin:SwitchRole',
  'signin:ExitRole',
  'signin:RenewRole',
  'dynamodb:DescribeEndpoints',
]);

/**
 * An API date suffix some services append to eventNames (`UpdateFunctionCode20150331v2`,
 * `CreateDistribution2020_05_31`). Stripped only when the name without it is a catalog action and
 * the name with it is not, so names that legitimately end in digits (`kafka:CreateClusterV2`,
 * `datasync:CreateLocationS3`) are kept. Not cloudtracker's `split("20")`.
 */
export const API_VERSION_SUFFIX = /^(.+?)(?:\d{4}_\d{2}_\d{2}|\d{8})(?:v\d+)?$/;

/**
 * errorCodes meaning IAM (or a resource/SCP/boundary policy) refused the call: such events are
 * `denied`, never `used`. Codes ending in `AccessDenied`/`AccessDeniedException`/
 * `UnauthorizedOperation` are matched as well (see DENIED_ERROR_CODE_SUFFIXES).
 * Other errorCodes (throttling, validation, NoSuchEntity) happen after authorization and count as used.
 */
export const DENIED_ERROR_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'Client.UnauthorizedOperation',
  'UnauthorizedAccess',
  'UnauthorizedException',
  'AuthorizationError',
  'AuthorizationErrorException',
  'Forbidden',
  'ForbiddenException',
  'NotAuthorized',
  'NotAuthorizedException',
  'AccessDeniedFault',
  'InsufficientPermissionsException',
]);

/** Suffixes that also mark an errorCode as a denial (`Client.AccessDenied`, `KMS.AccessDeniedException`). */
export const DENIED_ERROR_CODE_SUFFIXES: readonly string[] = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation'];

/**
 * Actions CloudTrail cannot show with a default (management events) trail: data events and
 * authorization-only actions. They are `unobservable`: never reported unused, never removed.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
 */
export const UNOBSERVABLE_ACTIONS: readonly string[] = [
  // authorization-only: checked when another call passes a role; never an event of its own
  'iam:PassRole',
  // S3 object-level data events
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectAcl',
  's3:GetObjectVersionAcl',
  's3:GetObjectTagging',
  's3:GetObjectVersionTagging',
  's3:GetObjectAttributes',
  's3:GetObjectVersionAttributes',
  's3:GetObjectRetention',
  's3:GetObjectLegalHold',
  's3:PutObject',
  's3:PutObjectAcl',
  's3:PutObjectVersionAcl',
  's3:PutObjectTagging',
  's3:PutObjectVersionTagging',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:DeleteObjectTagging',
  's3:DeleteObjectVersionTagging',
  's3:RestoreObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:ListBucketMultipartUploads',
  // Lambda invocations
  'lambda:InvokeFunction',
  'lambda:InvokeFunctionUrl',
  // DynamoDB item operations
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PartiQLSelect',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  // SNS, SQS and Kinesis message data events
  'sns:Publish',
  'sqs:SendMessage',
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'kinesis:PutRecord',
  'kinesis:PutRecords',
  'kinesis:GetRecords',
  'kinesis:GetShardIterator',
  // EBS direct APIs
  'ebs:GetSnapshotBlock',
  'ebs:ListSnapshotBlocks',
  'ebs:ListChangedBlocks',
  'ebs:PutSnapshotBlock',
];

/** Risk order of access levels, most dangerous first: unused actions are ranked by it. */
export const ACCESS_LEVEL_RISK_ORDER = ['Permissions management', 'Write', 'Tagging', 'Read', 'List'] as const;

/**
 * userIdentity types whose calls the analyzer excludes, with the reason counted under skipped.
 * `AWSService`: AWS acting on its own behalf; `AWSAccount`: a principal of another account (its
 * own trail has the detail); web identity and SAML users need no permission to federate.
 */
export const EXCLUDED_IDENTITY_TYPES: Readonly<Record<string, string>> = {
  AWSService: 'aws-service-identity',
  AWSAccount: 'other-account-identity',
  WebIdentityUser: 'federation-call',
  SAMLUser: 'federation-call',
  IdentityCenterUser: 'identity-center-user',
  Unknown: 'unknown-identity',
};

/** Path marker of service-linked roles (`arn:aws:iam::1:role/aws-service-role/...`): excluded by default. */
export const SERVICE_LINKED_ROLE_PATH = '/aws-service-role/';
