/**
 * The rollout config after validation and merging: what the app, the encryption switch and the drift
 * detector read. Plain data; no cdktf.
 */
import type { PolicyStatement } from '../policy/types';

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** A role to assume, with placeholders already replaced. */
export interface AssumeRoleSettings {
  readonly roleArn: string;
  readonly externalId?: string;
  readonly sessionName: string;
}

/**
 * Settings of the key, passed to the `IdentityCenterKey` construct. Undefined means "the construct's
 * default", so defaults are defined once, in the construct.
 */
export interface KeySettings {
  readonly description?: string;
  readonly multiRegion?: boolean;
  readonly replicaRegions: readonly string[];
  readonly rotation?: boolean;
  readonly rotationPeriodInDays?: number;
  readonly deletionWindowInDays?: number;
  readonly preventDestroy?: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly aliases?: readonly string[];
  readonly administrators?: readonly string[];
  readonly delegatedAdminAccounts: readonly string[];
  readonly identityCenterAdministrators?: readonly string[];
  readonly allowDelegatedAdminFullAccess?: boolean;
  readonly managedApplications?: boolean;
  readonly organizationPrincipals?: boolean;
  readonly auditors: readonly string[];
  readonly extraStatements: readonly PolicyStatement[];
}

export interface EncryptionSettings {
  /** Switch the instance to the key on deploy. */
  readonly switch: boolean;
  /** Switch back to the AWS owned key when the stack is destroyed. */
  readonly revertOnDestroy: boolean;
  readonly timeoutSeconds: number;
  /** `cli` (terraform_data + idc-cmk encryption apply) or `native` (aws_ssoadmin_instance). */
  readonly mode: EncryptionMode;
  /** The hashicorp/aws version constraint for required_providers; required by `native`. @default - the bindings' pin */
  readonly providerVersion?: string;
}

export interface TamperAlarmSettings {
  readonly enabled: boolean;
  readonly subscriptions: readonly { readonly protocol: 'email' | 'https' | 'sqs' | 'lambda'; readonly endpoint: string; readonly rawMessageDelivery?: boolean }[];
  readonly existingTopicArn?: string;
  readonly topicKmsKeyArn?: string;
  /** Per replica Region: its existing topic, or the key encrypting the topic created there. */
  readonly replicaTopics: Readonly<Record<string, { readonly existingTopicArn?: string; readonly topicKmsKeyArn?: string }>>;
}

export interface DelegatedAdminAccessSettings {
  readonly enabled: boolean;
  /** Role ARN assumed in each delegated-admin account, by account. */
  readonly deployRoleArns: Readonly<Record<string, string>>;
  readonly roleNames: readonly string[];
}

export const ENCRYPTION_MODES = ['cli', 'native'] as const;
export type EncryptionMode = (typeof ENCRYPTION_MODES)[number];

export interface LocalBackendSettings {
  readonly kind: 'local';
  /** State file path relative to the project directory, e.g. `terraform.acme-prod.tfstate`. */
  readonly path: string;
}

export interface S3BackendSettings {
  readonly kind: 's3';
  readonly bucket: string;
  /** `<keyPrefix>/<target>.tfstate`. */
  readonly key: string;
  readonly region: string;
  readonly roleArn?: string;
  readonly dynamodbTable?: string;
  readonly useLockfile: boolean;
  readonly encrypt: boolean;
}

export interface CloudBackendSettings {
  readonly kind: 'cloud';
  readonly organization: string;
  readonly hostname?: string;
  readonly project?: string;
  readonly workspace: { readonly kind: 'name'; readonly name: string } | { readonly kind: 'tags'; readonly tags: readonly string[] };
}

export type BackendSettings = LocalBackendSettings | S3BackendSettings | CloudBackendSettings;

export interface DriftIgnoreSettings {
  /** Finding codes to ignore. */
  readonly codes: readonly string[];
  /** Tag keys to ignore; `*` matches any characters. */
  readonly tags: readonly string[];
  readonly attributes: readonly string[];
}

export interface DriftSettings {
  readonly roleArn?: string;
  readonly externalId?: string;
  readonly sessionName: string;
  readonly ignore: DriftIgnoreSettings;
}

/** One target with the defaults merged in and placeholders replaced. */
export interface ResolvedTarget {
  /** Unique name; also the stack ID and the state name. */
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly partition: Partition;
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly organizationId?: string;
  /** Role the deploy (provider) assumes; absent: the ambient credentials. */
  readonly assumeRole?: AssumeRoleSettings;
  readonly key: KeySettings;
  readonly encryption: EncryptionSettings;
  readonly tamperAlarms: TamperAlarmSettings;
  readonly delegatedAdminAccess: DelegatedAdminAccessSettings;
  readonly backend: BackendSettings;
  readonly drift: DriftSettings;
}

export interface RolloutConfig {
  /** Where the config came from (a path), for messages. */
  readonly source: string;
  readonly version: 1;
  readonly targets: readonly ResolvedTarget[];
}
