/**
 * Props of {@link IdentityCenterKey}. Pure types: nothing here loads cdktf, so the app's config layer
 * can import them cheaply.
 */
import type { PolicyStatement } from '../policy/types';

/**
 * What to pin the Identity Center / Identity Store encryption context to while the instance's ARNs
 * are not known yet (the instance is not enabled, or the identity store ID is not given).
 *
 * - `wildcard`: `StringLike` on `arn:<partition>:sso:::instance/*` and
 *   `arn:<partition>:identitystore::<account>:identitystore/*` (works before and after enablement).
 * - `key-configuration`: the temporary `.../purpose:KEY_CONFIGURATION` values. They work for
 *   enablement only and MUST be replaced by the real ARNs afterwards; never use on a key in use.
 * - `omit`: no value condition; only require that the encryption-context key is present.
 *
 * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/considerations-for-customer-managed-kms-keys-advanced.html
 */
export type PendingInstanceMode = 'wildcard' | 'key-configuration' | 'omit';

/** The pending-instance modes, for validation messages and config schemas. */
export const PENDING_INSTANCE_MODES: readonly PendingInstanceMode[] = ['wildcard', 'key-configuration', 'omit'];

/** AWS partitions the construct knows the ARN and service DNS formats of. */
export type AwsPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface IdentityCenterKeyProps {
  /**
   * The AWS account that owns the Identity Center instance (the organization's management account).
   * The key is created here: Identity Center only accepts a key in its own account.
   * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-customer-managed-keys.html
   */
  readonly account: string;

  /**
   * The instance's Region. The key (the multi-Region primary) is created here.
   * IMPORTANT: changing it replaces the key.
   */
  readonly region: string;

  /**
   * The AWS partition.
   * @default 'aws'
   */
  readonly partition?: AwsPartition;

  /**
   * Name recorded in the `target-record` terraform_data, so the drift detector can recognise this
   * state as ours and name the target it belongs to.
   * @default - the construct id
   */
  readonly targetName?: string;

  /**
   * The Identity Center instance ARN, `arn:aws:sso:::instance/ssoins-<16 hex>`. When given, the
   * service statements are pinned to it through `kms:EncryptionContext:aws:sso:instance-arn`.
   * @default - instance not enabled yet: see `pendingInstance`
   * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/advanced-kms-policy.html
   */
  readonly instanceArn?: string;

  /**
   * The account that owns the instance (`OwnerAccountId` from `ListInstances`), if known. Only used
   * to check that it equals `account`: instance ARNs carry no account.
   * @default - not checked
   */
  readonly instanceOwnerAccount?: string;

  /**
   * The Region the instance lives in, if known. Only used to check that it equals `region`.
   * @default - not checked
   */
  readonly instanceRegion?: string;

  /**
   * The instance's identity store ID, `d-<10 hex>`. When given, the Identity Store statements are
   * pinned to `arn:<partition>:identitystore::<account>:identitystore/<id>`.
   * @default - not known yet: see `pendingInstance`
   */
  readonly identityStoreId?: string;

  /**
   * How to write the encryption-context conditions while `instanceArn` / `identityStoreId` are unknown.
   * @default 'wildcard'
   * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/considerations-for-customer-managed-kms-keys-advanced.html
   */
  readonly pendingInstance?: PendingInstanceMode;

  /**
   * The AWS Organizations ID, `o-<10 to 32 chars>`. Required by `managedApplications` and
   * `organizationPrincipals`, whose `Principal: "*"` statements are scoped to the organization.
   * @default - no organization-scoped statements
   */
  readonly organizationId?: string;

  /**
   * The key description.
   * @default 'IAM Identity Center customer managed key for <instance ARN or account/Region>'
   */
  readonly description?: string;

  /**
   * Create a multi-Region primary key. AWS recommends it, and replicating Identity Center to other
   * Regions requires it. IMPORTANT: changing it replaces the key.
   * @default true
   * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/replicate-to-additional-region.html
   */
  readonly multiRegion?: boolean;

  /**
   * Regions to create an `aws_kms_replica_key` in (same policy, same aliases). Requires `multiRegion`.
   * KMS does not keep key policies in sync across replicas; this construct writes the same one to each.
   * @default - no replicas
   */
  readonly replicaRegions?: readonly string[];

  /**
   * Automatic rotation of the key material.
   * @default true
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys.html
   */
  readonly rotation?: boolean;

  /**
   * Days between automatic rotations, 90 to 2560. Ignored when `rotation` is false.
   * @default 365
   */
  readonly rotationPeriodInDays?: number;

  /**
   * Waiting period, 7 to 30 days, before a key scheduled for deletion is deleted.
   * @default 30
   */
  readonly deletionWindowInDays?: number;

  /**
   * Tags on the key and its replicas.
   * @default - no tags
   */
  readonly tags?: Readonly<Record<string, string>>;

  /**
   * `lifecycle.prevent_destroy` on the key and replicas: deleting the key locks every user out of
   * AWS for good. Turning it off is explicit.
   * @default true
   */
  readonly preventDestroy?: boolean;

  /**
   * Alias names; `alias/` is added when missing. `alias/aws/` is reserved by AWS.
   * @default ['alias/identity-center']
   * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
   */
  readonly aliases?: readonly string[];

  /**
   * Key administrators: principal ARN patterns in the key's account (KMS does not serve key
   * administration across accounts), such as
   * `arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_KeyAdmin_*`
   * (permission-set roles sit under `sso.amazonaws.com/` with or without a Region segment).
   * The policy names each pattern's account root as principal and narrows it with
   * `ArnLike aws:PrincipalArn` (role ARNs in conditions survive role re-creation). An empty list
   * removes the `KeyAdministration` statement (then something else must grant kms:PutKeyPolicy).
   * @default - the key account's root, not narrowed: IAM policies in that account decide (KMS's default)
   * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/baseline-KMS-key-policy.html
   */
  readonly administrators?: readonly string[];

  /**
   * The role Terraform creates and manages the key with. The key policy is evaluated for it: KMS
   * refuses CreateKey and PutKeyPolicy when the new policy would not let the caller call PutKeyPolicy
   * again (its lockout safety check), and every later apply edits the key as this role.
   * @default - not checked (the caller is not known at synth)
   */
  readonly deployRoleArn?: string;

  /**
   * Accounts that are Identity Center delegated administrators. Their principals may use the key
   * through Identity Center and Identity Store (`AdminsVia*` statements).
   * @default - none
   * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin.html
   */
  readonly delegatedAdminAccounts?: readonly string[];

  /**
   * Principal ARN patterns of Identity Center administrators (management and delegated-admin
   * accounts) allowed to use the key through Identity Center and Identity Store.
   * @default - the roots of the key account and `delegatedAdminAccounts`, not narrowed
   */
  readonly identityCenterAdministrators?: readonly string[];

  /**
   * Grant AWS's widest template: `kms:*` to the delegated-admin account roots
   * (`AllowIdentityCenterAdminAccounts`). Only when asked for by name.
   * @default false
   */
  readonly allowDelegatedAdminFullAccess?: boolean;

  /**
   * Let AWS managed applications in the organization decrypt through Identity Center and Identity
   * Store (`ManagedApplicationsVia*`). Requires `organizationId`.
   * @default false
   */
  readonly managedApplications?: boolean;

  /**
   * Let IAM principals in the organization (application administrators using forward access
   * sessions) decrypt through Identity Center and Identity Store (`OrgPrincipalsVia*`). Requires
   * `organizationId`.
   * @default false
   */
  readonly organizationPrincipals?: boolean;

  /**
   * Read-only auditors: principal ARN patterns in the key's account (GetKeyPolicy and
   * ListResourceTags are not served across accounts) allowed DescribeKey, GetKeyPolicy,
   * GetKeyRotationStatus, ListResourceTags and other reads. No cryptographic operations, no writes.
   * @default - none
   */
  readonly auditors?: readonly string[];

  /**
   * Statements appended to the key policy as they are. Policy variables (`${aws:...}`) are fine: they
   * are escaped for Terraform.
   * @default - none
   */
  readonly extraStatements?: readonly PolicyStatement[];
}
