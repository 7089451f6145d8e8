/**
 * KMS action sets used by the key policy, as named constants (one place to review what each role may do).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html
 */

/** Everything on the key. Only for `allowDelegatedAdminFullAccess` (AWS's widest template). */
export const KMS_ALL = 'kms:*';

/** Managing the key without using it for cryptography (AWS's default "key administrators" set). */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:CreateGrant',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:ReplicateKey',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
  'kms:UpdatePrimaryRegion',
];

/** What Identity Center and Identity Store themselves call (envelope encryption with this key as wrapping key). */
export const SERVICE_USE_ACTIONS: readonly string[] = [
  'kms:Decrypt',
  'kms:ReEncryptTo',
  'kms:ReEncryptFrom',
  'kms:GenerateDataKeyWithoutPlaintext',
];

/** What Identity Center administrators need through the services (previous baseline, statement i). */
export const ADMIN_VIA_SERVICE_ACTIONS: readonly string[] = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKeyWithoutPlaintext',
];

/** Managed applications, their administrators and organization principals: decrypt only. */
export const DECRYPT_ONLY_ACTIONS: readonly string[] = ['kms:Decrypt'];

/** Metadata read; never carries an encryption context, so never pinned. */
export const DESCRIBE_KEY_ACTION = 'kms:DescribeKey';

/**
 * Read-only auditors: metadata, policy, rotation, tags, aliases and grants. No cryptographic
 * operations, no writes. (`kms:ListAliases` is only honoured from IAM policies; listed for completeness.)
 */
export const AUDITOR_ACTIONS: readonly string[] = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
];

/** Actions whose grant to an AWS principal keeps the key manageable (KMS's lockout safety check). */
export const POLICY_ADMIN_ACTIONS: readonly string[] = ['kms:PutKeyPolicy'];

/** Cross-account delegated administrator IAM policy: key use (current baseline, section 2). */
export const DELEGATED_ADMIN_IAM_ACTIONS: readonly string[] = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:DescribeKey',
];

/** Listing aliases is account-wide (`Resource: "*"`). */
export const LIST_ALIASES_ACTION = 'kms:ListAliases';
