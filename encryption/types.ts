/**
 * Shapes shared by the encryption switch (apply / revert / status) and its pre-flight. Pure types and
 * constants: nothing here loads the SDK or cdktf.
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { TargetAccess } from '../aws/clients';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';

/** The instance's encryption key types (DescribeInstance / UpdateInstance `KeyType`). */
export const CUSTOMER_MANAGED_KEY = 'CUSTOMER_MANAGED_KEY';
export const AWS_OWNED_KMS_KEY = 'AWS_OWNED_KMS_KEY';
export type KeyType = typeof CUSTOMER_MANAGED_KEY | typeof AWS_OWNED_KMS_KEY;

/** `EncryptionStatus` values. */
export const ENCRYPTION_STATUS = { UPDATING: 'UPDATING', ENABLED: 'ENABLED', UPDATE_FAILED: 'UPDATE_FAILED' } as const;

/** Defaults shared by the CLI flags and the construct props, so both say the same thing. */
export const DEFAULT_TIMEOUT_SECONDS = 900;
export const MIN_TIMEOUT_SECONDS = 1;
export const MAX_TIMEOUT_SECONDS = 7200;
export const TIMEOUT_ALLOWED = `a whole number of seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS}`;
export const DEFAULT_POLL_INTERVAL_MS = 5000;
export const MIN_POLL_INTERVAL_MS = 10;
export const MAX_POLL_INTERVAL_MS = 60_000;
export const POLL_INTERVAL_ALLOWED = `a whole number of milliseconds from ${MIN_POLL_INTERVAL_MS} to ${MAX_POLL_INTERVAL_MS}`;

/** The two clients the switch needs; `AwsClientFactory` is one. */
export interface EncryptionClients {
  kms(access: TargetAccess): KMSClient;
  ssoAdmin(access: TargetAccess): SSOAdminClient;
  /** Organizations, to tell an organization instance from an account instance. @default - only --management-account decides */
  organizations?(access: TargetAccess): OrganizationsClient;
  /** Assumes the access's role now (AwsClientFactory does), so a role that cannot be assumed is reported as such. @default - left to the first call */
  resolveCredentials?(access: TargetAccess, signal?: AbortSignal): Promise<void>;
}

/** Progress lines (the CLI writes them to stderr). */
export type EncryptionLog = (line: string) => void;

/** Time, injectable so callers can run the waits on their own clock. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Where and as whom the calls are made. */
export interface InstanceTarget {
  /** `arn:aws:sso:::instance/ssoins-...` */
  readonly instanceArn: string;
  /** The instance's Region; every call goes there. */
  readonly region: string;
  /** Role to assume (the management account's), e.g. from a deployment account. @default - the caller's credentials */
  readonly roleArn?: string;
  /** External ID the role's trust policy requires. @default - none */
  readonly externalId?: string;
}

export interface WaitOptions {
  /** How long the whole command may take, including waiting for an earlier update to settle. */
  readonly timeoutSeconds: number;
  /** Pause between DescribeInstance calls. */
  readonly pollIntervalMs: number;
}

export interface ApplyEncryptionOptions extends InstanceTarget, WaitOptions {
  /** The customer managed key ARN to switch to. */
  readonly kmsKeyArn: string;
  /** The organization ID (`o-...`), used when the key policy conditions on aws:ResourceOrgID / aws:SourceOrgID. @default - not known */
  readonly orgId?: string;
  /**
   * The organization's management account ID. The instance must be owned by it: only organization
   * instances can use a customer managed key, and AWS has no field telling them from account
   * instances. Required: without it the pre-flight refuses (fails closed).
   */
  readonly managementAccountId?: string;
  /** Run the pre-flight and report what would happen; never calls UpdateInstance. @default false */
  readonly dryRun?: boolean;
}

export interface RevertEncryptionOptions extends InstanceTarget, WaitOptions {
  /**
   * Only switch back when the instance currently uses this key: otherwise do nothing. The construct's
   * destroy provisioner passes the key it recorded, so replacing the key (new one applied first,
   * old record destroyed after) never switches the instance back to the AWS owned key.
   * @default - switch back whatever customer managed key is in use
   */
  readonly onlyIfKeyArn?: string;
  /** Report what would happen; never calls UpdateInstance. @default false */
  readonly dryRun?: boolean;
}

/** The live encryption configuration (DescribeInstance `EncryptionConfigurationDetails`). */
export interface EncryptionState {
  readonly keyType?: string;
  readonly kmsKeyArn?: string;
  readonly encryptionStatus?: string;
  readonly encryptionStatusReason?: string;
}

export interface InstanceStatusReport extends EncryptionState {
  readonly instanceArn: string;
  readonly region: string;
  readonly name?: string;
  readonly ownerAccountId?: string;
  readonly identityStoreId?: string;
  /** Instance status: ACTIVE, CREATE_IN_PROGRESS, ... */
  readonly status?: string;
  readonly statusReason?: string;
}

/**
 * - `updated`: UpdateInstance was called and the instance reached ENABLED on the target.
 * - `unchanged`: already on the target with ENABLED; no UpdateInstance call.
 * - `skipped`: revert with `onlyIfKeyArn` found another key in use; no call.
 * - `would-update`: dry run; the pre-flight passed and UpdateInstance would be called.
 */
export type EncryptionAction = 'updated' | 'unchanged' | 'skipped' | 'would-update';

export interface EncryptionOutcome {
  readonly action: EncryptionAction;
  readonly instanceArn: string;
  readonly region: string;
  readonly before: EncryptionState;
  readonly after: EncryptionState;
  /** Why nothing was done (`unchanged`, `skipped`). */
  readonly note?: string;
  /** The pre-flight checks (apply only), all passed. */
  readonly checks?: readonly { readonly id: string; readonly ok: boolean; readonly message: string }[];
  readonly elapsedMs: number;
}
