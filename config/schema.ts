/**
 * The rollout file's schema (zod). It checks the shape and each value; cross-field rules that need
 * the defaults merged in live in `resolve.ts`. Every leaf carries the "allowed" text of its format so
 * a problem reads `targets[1].account: got "12345"; allowed: 12 digits ...`.
 *
 * The JSON Schema for editors (`schema/idc-cmk.schema.json`) is generated from this file.
 * NO cdktf import here: the drift detector loads this module.
 */
import { z } from 'zod';
import {
  ACCOUNT_ID,
  ALIAS_NAME,
  CONFIG_VERSION,
  DELETION_WINDOW_MAX_DAYS,
  DELETION_WINDOW_MIN_DAYS,
  DYNAMODB_TABLE,
  ENCRYPTION_TIMEOUT_MAX_SECONDS,
  ENCRYPTION_TIMEOUT_MIN_SECONDS,
  EXTERNAL_ID,
  FINDING_CODE,
  Format,
  HCP_ORGANIZATION,
  HCP_WORKSPACE_PREFIX,
  HOSTNAME,
  IDENTITY_STORE_ID,
  INSTANCE_ARN,
  KMS_DESCRIPTION_MAX_LENGTH,
  MAX_TAGS,
  ORGANIZATION_ID,
  PRINCIPAL_ARN,
  REGION,
  ROLE_ARN,
  ROTATION_PERIOD_MAX_DAYS,
  ROTATION_PERIOD_MIN_DAYS,
  S3_BUCKET,
  S3_KEY_PREFIX,
  SESSION_NAME,
  TAG_KEY,
  TAG_VALUE,
  TARGET_NAME,
  TARGET_NAME_MAX_LENGTH,
} from './constants';
import { ENCRYPTION_MODES } from './types';

// ---------------------------------------------------------------------------------------------
// Leaf helpers: every schema states what it allows, for type errors and value errors alike.
// ---------------------------------------------------------------------------------------------

const formatted = (format: Format, description: string) =>
  z.string({ error: format.allowed }).regex(format.pattern, { error: format.allowed }).describe(description);

const bool = (description: string) => z.boolean({ error: 'true or false' }).describe(description);

function wholeNumber(min: number, max: number, unit: string, description: string) {
  const allowed = `a whole number of ${unit} from ${min} to ${max}`;
  return z.number({ error: allowed }).int({ error: allowed }).min(min, { error: allowed }).max(max, { error: allowed }).describe(description);
}

const list = <T extends z.ZodType>(item: T, description: string) => z.array(item, { error: 'a list' }).describe(description);

const mapping = <T extends z.ZodRawShape>(shape: T, description: string) =>
  z.strictObject(shape, { error: 'a mapping' }).describe(description);

// ---------------------------------------------------------------------------------------------
// Parts.
// ---------------------------------------------------------------------------------------------

export const accountIdSchema = formatted(ACCOUNT_ID, 'AWS account ID');
export const regionSchema = formatted(REGION, 'AWS Region code');
export const roleArnSchema = formatted(ROLE_ARN, 'IAM role ARN');
export const principalArnSchema = formatted(PRINCIPAL_ARN, 'IAM principal ARN (pattern)');

const tagsSchema = z
  .record(formatted(TAG_KEY, 'tag key'), z.string({ error: TAG_VALUE.allowed }).regex(TAG_VALUE.pattern, { error: TAG_VALUE.allowed }), {
    error: 'a mapping of tag keys to string values',
  })
  .refine((tags) => Object.keys(tags).length <= MAX_TAGS, { error: `at most ${MAX_TAGS} tags` })
  .describe('Tags on the key and its replicas. Mappings merge with defaults key by key.')
  .meta({ id: 'Tags' });

const assumeRoleSchema = mapping(
  {
    roleArn: roleArnSchema.describe('Role to assume in the target account. {account} and {partition} are replaced per target.'),
    externalId: formatted(EXTERNAL_ID, 'External ID the role requires').optional(),
    sessionName: formatted(SESSION_NAME, 'Session name').optional().describe('Session name. Default: idc-cmk-<target name>'),
  },
  'A role to assume for deploying (the provider assume_role).',
).meta({ id: 'AssumeRole' });

const policyValue = z.union([z.string(), z.array(z.string())], { error: 'a string or a list of strings' });
const principalSchema = z.union(
  [
    z.literal('*'),
    z.strictObject(
      { AWS: policyValue.optional(), Service: policyValue.optional(), Federated: policyValue.optional(), CanonicalUser: policyValue.optional() },
      { error: '"*" or a mapping with AWS, Service, Federated or CanonicalUser' },
    ),
  ],
  { error: '"*" or a mapping with AWS, Service, Federated or CanonicalUser' },
);
const conditionValue = z.union([z.string(), z.boolean(), z.number()]);
const conditionSchema = z.record(
  z.string(),
  z.record(z.string(), z.union([conditionValue, z.array(conditionValue)]), { error: 'condition keys mapped to values' }),
  { error: 'condition operators mapped to condition keys' },
);

export const policyStatementSchema = z
  .strictObject(
    {
      Sid: z.string({ error: 'letters and digits' }).regex(/^[A-Za-z0-9]+$/, { error: 'letters and digits' }).optional(),
      Effect: z.enum(['Allow', 'Deny'], { error: 'Allow or Deny' }),
      Principal: principalSchema.optional(),
      NotPrincipal: principalSchema.optional(),
      Action: policyValue.optional(),
      NotAction: policyValue.optional(),
      Resource: policyValue.optional(),
      NotResource: policyValue.optional(),
      Condition: conditionSchema.optional(),
    },
    { error: 'a policy statement (Sid, Effect, Principal, Action, Resource, Condition, ...)' },
  )
  .describe('An IAM policy statement, appended to the key policy as written.')
  .meta({ id: 'PolicyStatement' });

const encryptionSchema = mapping(
  {
    switch: bool('Switch the instance to this key on deploy (UpdateInstance). Default: true'),
    revertOnDestroy: bool('Switch the instance back to the AWS owned key when the stack is destroyed. Default: false'),
    timeoutSeconds: wholeNumber(
      ENCRYPTION_TIMEOUT_MIN_SECONDS,
      ENCRYPTION_TIMEOUT_MAX_SECONDS,
      'seconds',
      'How long to wait for the instance to leave UPDATING. Default: 900',
    ),
    mode: z
      .enum(ENCRYPTION_MODES, { error: ENCRYPTION_MODES.join(' or ') })
      .describe('cli: terraform_data running idc-cmk encryption apply (works with the prebuilt provider). native: aws_ssoadmin_instance (newer providers only; needs providerVersion). Default: cli'),
    providerVersion: z
      .string({ error: 'a Terraform version constraint such as ">= 6.30.0"' })
      .regex(/^\s*(?:(?:=|!=|>|>=|<|<=|~>)\s*)?\d+(?:\.\d+){0,2}(?:-[\w.]+)?(?:\s*,\s*(?:(?:=|!=|>|>=|<|<=|~>)\s*)?\d+(?:\.\d+){0,2}(?:-[\w.]+)?)*\s*$/, {
        error: 'a Terraform version constraint such as ">= 6.30.0"',
      })
      .describe('The hashicorp/aws version constraint written to required_providers (default: the prebuilt bindings\' 6.25.0). Required by mode native: it names a provider that has aws_ssoadmin_instance with encryption_configuration, which 6.25.0 does not'),
  },
  'The instance encryption switch. Mappings merge with defaults field by field.',
)
  .partial()
  .meta({ id: 'Encryption' });

const localBackendSchema = mapping(
  {
    directory: z
      .string({ error: 'a relative directory' })
      .regex(/^(?!\/)[\w./-]+$/, { error: 'a relative directory' })
      .describe('Directory of the state files terraform.<target>.tfstate, relative to the project directory (where cdktf runs). Default: the project directory'),
  },
  'Local state files (the default).',
).partial();

const s3BackendSchema = mapping(
  {
    bucket: formatted(S3_BUCKET, 'Bucket holding every target state'),
    keyPrefix: formatted(S3_KEY_PREFIX, 'Key prefix; the state of target t is <keyPrefix>/t.tfstate. Default: idc-cmk').optional(),
    region: regionSchema.optional().describe('Region of the bucket. Default: the target Region'),
    roleArn: roleArnSchema.optional().describe('Role to assume for the state bucket'),
    dynamodbTable: formatted(DYNAMODB_TABLE, 'DynamoDB table for state locking (legacy)').optional(),
    useLockfile: bool('S3 native state locking (Terraform 1.10+). Default: true unless dynamodbTable is set').optional(),
    encrypt: bool('Server-side encryption of the state object. Default: true').optional(),
  },
  'An S3 backend, one key per target.',
);

const cloudBackendSchema = mapping(
  {
    organization: formatted(HCP_ORGANIZATION, 'HCP Terraform organization'),
    workspacePrefix: formatted(HCP_WORKSPACE_PREFIX, 'One workspace per target named <workspacePrefix><target>').optional(),
    tags: list(z.string({ error: 'a tag string' }).min(1, { error: 'a non-empty tag' }), 'Select workspaces by tags (the target name is added as a tag)').optional(),
    project: z.string({ error: 'a project name' }).min(1, { error: 'a project name' }).optional().describe('HCP Terraform project'),
    hostname: formatted(HOSTNAME, 'HCP Terraform or Terraform Enterprise host. Default: HCP Terraform').optional(),
  },
  'HCP Terraform / Terraform Enterprise workspaces through the cloud backend.',
);

export const backendSchema = mapping(
  { local: localBackendSchema, s3: s3BackendSchema, cloud: cloudBackendSchema },
  'Where each target keeps its Terraform state: exactly one of local, s3, cloud. A target backend replaces the default one.',
)
  .partial()
  .meta({ id: 'Backend' });

const driftSchema = mapping(
  {
    roleArn: roleArnSchema.describe('Read-only role the drift detector assumes in the target account. {account} and {partition} are replaced per target.'),
    externalId: formatted(EXTERNAL_ID, 'External ID the drift role requires'),
    sessionName: formatted(SESSION_NAME, 'Session name. Default: idc-cmk-drift-<target name>'),
    ignore: mapping(
      {
        codes: list(formatted(FINDING_CODE, 'finding code'), 'Finding codes to ignore'),
        tags: list(z.string({ error: 'a tag key (* allowed)' }).min(1, { error: 'a tag key (* allowed)' }), 'Tag keys to ignore (* matches any characters)'),
        attributes: list(z.string({ error: 'an attribute name' }).min(1, { error: 'an attribute name' }), 'Attributes to ignore, e.g. description'),
      },
      'What the drift detector ignores for this target.',
    ).partial(),
  },
  'Nightly drift detection settings.',
)
  .partial()
  .meta({ id: 'Drift' });

const topicArnSchema = z
  .string({ error: 'an SNS topic ARN' })
  .regex(/^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, { error: 'an SNS topic ARN' });
const topicKmsKeyArnSchema = z
  .string({ error: 'a KMS key ARN' })
  .regex(/^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, { error: 'a KMS key ARN' });

const tamperAlarmsSchema = mapping(
  {
    enabled: bool('Create the EventBridge rule(s) and SNS topic(s) that alarm on changes to the key or the instance encryption. Default: false'),
    subscriptions: list(
      z.strictObject(
        {
          protocol: z.enum(['email', 'https', 'sqs', 'lambda'], { error: 'email, https, sqs or lambda' }),
          endpoint: z.string({ error: 'an email address, https:// URL, SQS queue ARN or Lambda function ARN' }).min(1, {
            error: 'an email address, https:// URL, SQS queue ARN or Lambda function ARN',
          }),
          rawMessageDelivery: bool('Deliver the event without the SNS envelope (sqs, https). Default: false').optional(),
        },
        { error: 'a mapping with protocol and endpoint' },
      ),
      'Subscriptions on the alarm topic in every Region',
    ),
    existingTopicArn: topicArnSchema.describe('Publish to this existing topic (in the key Region) instead of creating one; replica Regions need theirs in replicaTopics'),
    topicKmsKeyArn: topicKmsKeyArnSchema.describe('Customer managed key encrypting the created topic (in the key Region; see replicaTopics for the replica Regions)'),
    replicaTopics: z
      .record(
        regionSchema,
        z.strictObject(
          {
            existingTopicArn: topicArnSchema.describe('Publish to this existing topic in that Region (required there when existingTopicArn is given)').optional(),
            topicKmsKeyArn: topicKmsKeyArnSchema.describe('Key encrypting the topic created in that Region (required there when topicKmsKeyArn is given)').optional(),
          },
          { error: 'a mapping with existingTopicArn and/or topicKmsKeyArn' },
        ),
        { error: 'a mapping of replica Region to its topic settings' },
      )
      .describe('Per replica Region: the existing topic to publish to, or the key encrypting the topic created there (an SNS topic and its key live in one Region)'),
  },
  'Tamper alarms: CloudTrail-recorded changes to the key or the instance encryption, routed to SNS. Requires a CloudTrail trail logging management events (see docs/fleet.md).',
)
  .partial()
  .meta({ id: 'TamperAlarms' });

const delegatedAdminAccessSchema = mapping(
  {
    enabled: bool('Create the IAM policy delegated administrators need, in each delegatedAdminAccounts account. Default: false'),
    deployRoleName: z
      .string({ error: 'an IAM role name' })
      .regex(/^[\w+=,.@-]{1,64}$/, { error: 'an IAM role name' })
      .describe('Role assumed in each delegated-admin account to create the policy. Default: idc-cmk-deploy'),
    roleNames: list(
      z.string({ error: 'an IAM role name' }).regex(/^[\w+=,.@-]{1,64}$/, { error: 'an IAM role name' }),
      'Roles in the delegated-admin account to attach the policy to',
    ),
  },
  'IAM policy for Identity Center administrators in the delegated-admin accounts, created there through a provider alias.',
)
  .partial()
  .meta({ id: 'DelegatedAdminAccess' });

// ---------------------------------------------------------------------------------------------
// Targets and defaults.
// ---------------------------------------------------------------------------------------------

/** Everything `defaults` may set, and a target may override. */
export const settingsShape = {
  region: regionSchema.describe('The instance Region; the key is created here.'),
  organizationId: formatted(ORGANIZATION_ID, 'AWS Organizations ID; scopes the organization statements'),
  assumeRole: assumeRoleSchema,
  description: z
    .string({ error: `a string of at most ${KMS_DESCRIPTION_MAX_LENGTH} characters` })
    .max(KMS_DESCRIPTION_MAX_LENGTH, { error: `a string of at most ${KMS_DESCRIPTION_MAX_LENGTH} characters` })
    .describe('Key description'),
  multiRegion: bool('Create a multi-Region primary key (AWS recommends it; replicas require it). Default: true'),
  replicaRegions: list(regionSchema, 'Regions with a replica key (same policy and aliases)'),
  rotation: bool('Automatic key rotation. Default: true'),
  rotationPeriodInDays: wholeNumber(ROTATION_PERIOD_MIN_DAYS, ROTATION_PERIOD_MAX_DAYS, 'days', 'Days between rotations. Default: 365'),
  deletionWindowInDays: wholeNumber(DELETION_WINDOW_MIN_DAYS, DELETION_WINDOW_MAX_DAYS, 'days', 'Waiting period before deletion. Default: 30'),
  preventDestroy: bool('lifecycle.prevent_destroy on the key. Default: true'),
  tags: tagsSchema,
  aliases: list(formatted(ALIAS_NAME, 'alias name'), 'Key aliases; alias/ is added when missing. Default: [alias/identity-center]'),
  administrators: list(principalArnSchema, 'Key administrators (principal ARN patterns). Default: the account root'),
  delegatedAdminAccounts: list(accountIdSchema, 'Identity Center delegated administrator accounts'),
  identityCenterAdministrators: list(principalArnSchema, 'Identity Center administrators allowed to use the key through Identity Center'),
  allowDelegatedAdminFullAccess: bool("AWS's widest template: kms:* for the delegated-admin account roots. Default: false"),
  managedApplications: bool('Let AWS managed applications in the organization decrypt through Identity Center. Default: false'),
  organizationPrincipals: bool('Let principals in the organization decrypt through Identity Center (application admins). Default: false'),
  auditors: list(principalArnSchema, 'Read-only auditors (principal ARN patterns)'),
  extraStatements: list(policyStatementSchema, 'Statements appended to the key policy'),
  encryption: encryptionSchema,
  tamperAlarms: tamperAlarmsSchema,
  delegatedAdminAccess: delegatedAdminAccessSchema,
  backend: backendSchema,
  drift: driftSchema,
} as const;

export const defaultsSchema = z.strictObject(settingsShape, { error: 'a mapping' }).partial().describe('Settings every target gets unless it sets its own.');

export const targetSchema = z
  .strictObject(
    {
      name: z
        .string({ error: TARGET_NAME.allowed })
        .max(TARGET_NAME_MAX_LENGTH, { error: TARGET_NAME.allowed })
        .regex(TARGET_NAME.pattern, { error: TARGET_NAME.allowed })
        .describe('Unique target name: the stack ID and the state name'),
      account: accountIdSchema.describe('Account of the instance (the management account); the key is created here'),
      instanceArn: formatted(INSTANCE_ARN, 'Identity Center instance ARN'),
      identityStoreId: formatted(IDENTITY_STORE_ID, 'Identity store ID of the instance'),
      ...z.strictObject(settingsShape).partial().shape,
    },
    { error: 'a mapping' },
  )
  .describe('One Identity Center instance: one stack, one state.');

export const rolloutFileSchema = z
  .strictObject(
    {
      $schema: z.string().optional().describe('JSON Schema reference for editors'),
      version: z.literal(CONFIG_VERSION, { error: `${CONFIG_VERSION}` }).describe('Rollout file format version'),
      defaults: defaultsSchema.optional(),
      targets: list(targetSchema, 'The instances to roll out to').min(1, { error: 'a list of at least one target' }),
    },
    { error: 'a mapping with version, defaults and targets' },
  )
  .describe('idc-cmk rollout file');

/** The rollout file as written (after defaults of zod, before merging `defaults`). */
export type RolloutFile = z.output<typeof rolloutFileSchema>;
export type TargetEntry = z.output<typeof targetSchema>;
export type Settings = z.output<typeof defaultsSchema>;
