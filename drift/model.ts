/**
 * The drift pipeline's data model: read state -> ExpectedTarget, read live -> LiveTarget,
 * compare (pure) -> TargetResult, render -> text, exit code. Plain data, no behaviour, no I/O.
 */
import type { ErrorCode } from '../core/errors';

// ---------------------------------------------------------------------------------------------
// Expected: what Terraform state says (one per target = one stack's state).
// ---------------------------------------------------------------------------------------------

export interface ExpectedKey {
  /** Terraform address, e.g. `aws_kms_key.identity-center-key_key_1A2B3C4D`. */
  readonly address: string;
  readonly keyId: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly description?: string;
  readonly multiRegion: boolean;
  /** `SYMMETRIC_DEFAULT` unless state says otherwise. */
  readonly keySpec: string;
  /** `ENCRYPT_DECRYPT` unless state says otherwise. */
  readonly keyUsage: string;
  /** `is_enabled` in state. */
  readonly enabled: boolean;
  readonly rotationEnabled: boolean;
  readonly rotationPeriodInDays?: number;
  /** The key policy JSON (from `aws_kms_key.policy` or a separate `aws_kms_key_policy`), unescaped. */
  readonly policy?: string;
  /** Address of the resource that holds the policy (the key itself or an aws_kms_key_policy). */
  readonly policyAddress?: string;
  /** `tags` (not `tags_all`) from state. */
  readonly tags: Readonly<Record<string, string>>;
  /** `tags_all` from state (tags plus the provider's default_tags), when recorded: what the key should carry. */
  readonly tagsAll?: Readonly<Record<string, string>>;
}

export interface ExpectedAlias {
  readonly address: string;
  /** Full name, `alias/...`. */
  readonly name: string;
  /** Key ID the alias points to in state (`target_key_id`, resolved to the key ID). */
  readonly targetKeyId: string;
  readonly region: string;
}

export interface ExpectedReplica {
  readonly address: string;
  readonly keyId: string;
  readonly arn: string;
  readonly region: string;
  readonly description?: string;
  readonly enabled: boolean;
  readonly policy?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** `tags_all` from state, when recorded. */
  readonly tagsAll?: Readonly<Record<string, string>>;
}

/** The instance encryption configuration our construct records (terraform_data input). */
export interface ExpectedEncryption {
  readonly address: string;
  readonly instanceArn: string;
  readonly region: string;
  readonly keyType: 'CUSTOMER_MANAGED_KEY' | 'AWS_OWNED_KMS_KEY';
  readonly kmsKeyArn?: string;
}

export interface ExpectedTarget {
  /** Target name (the rollout file's `name`), also the stack name. */
  readonly target: string;
  /** Where this state came from (a path, an s3:// URI, or `stdin`). */
  readonly stateSource: string;
  readonly account: string;
  readonly region: string;
  readonly key: ExpectedKey;
  readonly aliases: readonly ExpectedAlias[];
  readonly replicas: readonly ExpectedReplica[];
  readonly encryption?: ExpectedEncryption;
  /** The instance and identity store this key is pinned to, when known (for outage classification). */
  readonly instanceArn?: string;
  readonly identityStoreId?: string;
  /** From the target record: the partition (`aws`, `aws-us-gov`, ...) and the identity store ARN. */
  readonly partition?: string;
  readonly identityStoreArn?: string;
}

// ---------------------------------------------------------------------------------------------
// Live: what AWS says. Every read is either a value or a typed failure: "could not read" is never
// confused with "absent".
// ---------------------------------------------------------------------------------------------

export interface ReadFailure {
  readonly code: ErrorCode;
  /** The API call, e.g. `kms:GetKeyPolicy`. */
  readonly operation: string;
  readonly message: string;
}

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ReadFailure };

export interface LiveKeyMetadata {
  readonly keyId: string;
  readonly arn: string;
  readonly account: string;
  readonly keyState: string;
  readonly enabled: boolean;
  readonly description: string;
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly origin: string;
  readonly keyManager: string;
  readonly multiRegion: boolean;
  readonly multiRegionKeyType?: 'PRIMARY' | 'REPLICA';
  /** A multi-Region primary's replicas, by Region (DescribeKey's MultiRegionConfiguration). */
  readonly replicaRegions?: readonly string[];
  /** ISO 8601, present when PendingDeletion. */
  readonly deletionDate?: string;
  readonly pendingDeletionWindowInDays?: number;
}

export interface LiveRotation {
  readonly enabled: boolean;
  readonly periodInDays?: number;
}

export interface LiveAlias {
  readonly name: string;
  /** The key the alias points to now (may be another key: a moved alias). Undefined: alias does not exist. */
  readonly targetKeyId?: string;
}

export interface LiveKey {
  /** null: the key does not exist (NotFoundException). */
  readonly metadata: Read<LiveKeyMetadata | null>;
  readonly policy: Read<string>;
  readonly rotation: Read<LiveRotation>;
  /** Aliases currently pointing at this key. */
  readonly aliases: Read<readonly string[]>;
  /** For each expected alias, where it points now (resolved by DescribeKey on the alias). */
  readonly expectedAliases: Read<readonly LiveAlias[]>;
  readonly tags: Read<Readonly<Record<string, string>>>;
}

export interface LiveReplica {
  readonly region: string;
  readonly metadata: Read<LiveKeyMetadata | null>;
  readonly policy: Read<string>;
  readonly tags: Read<Readonly<Record<string, string>>>;
}

export interface LiveInstanceEncryption {
  readonly instanceArn: string;
  readonly keyType?: string;
  readonly kmsKeyArn?: string;
  readonly encryptionStatus?: string;
  readonly encryptionStatusReason?: string;
}

export interface LiveTarget {
  readonly target: string;
  readonly key: LiveKey;
  readonly replicas: readonly LiveReplica[];
  /** Absent when state records no encryption configuration; null when the instance does not exist. */
  readonly instance?: Read<LiveInstanceEncryption | null>;
}

// ---------------------------------------------------------------------------------------------
// Results.
// ---------------------------------------------------------------------------------------------

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a policy difference does: widens access, removes Identity Center access, or only renames. */
export type ChangeClass = 'security' | 'outage' | 'cosmetic' | 'change';

export interface Finding {
  /** Stable code from the findings registry, e.g. `KEY_DISABLED`. */
  readonly code: string;
  readonly severity: Severity;
  readonly target: string;
  /** Terraform address of the resource concerned. */
  readonly address: string;
  /** The attribute concerned, e.g. `policy`, `key_state`, `tags.Owner`, `aliases`. */
  readonly attribute: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  readonly message: string;
  readonly remediation: string;
  readonly changeClass?: ChangeClass;
}

export type TargetStatus = 'in_sync' | 'drifted' | 'unknown';

export interface TargetResult {
  readonly target: string;
  readonly account?: string;
  readonly region?: string;
  readonly stateSource?: string;
  /** unknown when any needed read failed (even if some drift was found); drifted when findings; else in_sync. */
  readonly status: TargetStatus;
  readonly findings: readonly Finding[];
  /** Why the target (or part of it) could not be checked. */
  readonly errors: readonly ReadFailure[];
  /** Findings suppressed by the ignore file, counted for the summary. */
  readonly ignored: number;
  /** Canonical policies (pretty JSON) when they differ, for the human diff. */
  readonly policyDiff?: PolicyDiff;
  /** Every differing policy (the key's first, then replicas by Region); `policyDiff` is the key's. */
  readonly policyDiffs?: readonly PolicyDiff[];
}

/** Canonical policies (pretty JSON) of one key or replica that differ. */
export interface PolicyDiff {
  readonly address: string;
  readonly expected: string;
  readonly actual: string;
}

export interface DriftSummary {
  readonly targets: number;
  readonly inSync: number;
  readonly drifted: number;
  readonly unknown: number;
  readonly findings: Readonly<Record<Severity, number>>;
}

export interface DriftReport {
  /** Version of the JSON schema; bump on breaking changes. */
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'idc-cmk'; readonly version: string };
  readonly generatedAt: string;
  readonly summary: DriftSummary;
  readonly targets: readonly TargetResult[];
}
