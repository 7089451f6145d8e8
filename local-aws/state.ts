/**
 * The emulator's in-memory world: accounts and their credentials and roles, KMS keys, aliases, grants,
 * Identity Center instances and S3 buckets. Handlers read and change it; seed and tamper helpers
 * (seed.ts, tamper.ts) are the supported way for tests to do the same.
 */
import { ID_ALPHABET, SeededRandom } from './rng';
import { ScopedMap } from './scoped-map';

export const PARTITION = 'aws';

export type KeyState =
  | 'Creating' | 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport' | 'PendingReplicaDeletion' | 'Unavailable' | 'Updating';

export interface RoleRecord {
  readonly accountId: string;
  readonly roleName: string;
  readonly arn: string;
  /** `AROA` + 17 characters; a recreated role gets a new one, as in IAM. */
  readonly uniqueId: string;
  /** Accounts whose principals may assume this role. */
  trustedAccounts: Set<string>;
  /** Longest session AssumeRole grants, in seconds. */
  maxSessionDurationSeconds: number;
}

export interface CredentialRecord {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly accountId: string;
  readonly kind: 'user' | 'assumed-role';
  /** Caller identity ARN (`...:user/NAME` or `...:assumed-role/ROLE/SESSION`). */
  readonly arn: string;
  /** GetCallerIdentity's UserId (`AIDA...` or `AROA...:SESSION`). */
  readonly userId: string;
  readonly roleName?: string;
  /** Epoch ms after which the credential is rejected with ExpiredTokenException (assumed roles only). */
  expiresAt?: number;
}

export interface AccountRecord {
  readonly accountId: string;
  orgId?: string;
  readonly userName: string;
  readonly userId: string;
  readonly roles: Map<string, RoleRecord>;
}

export interface StoredPolicy {
  /** Exactly what was stored (CreateKey/PutKeyPolicy/ReplicateKey). */
  readonly raw: string;
  /** Role/user ARN principal -> the unique ID it had when the policy was stored. */
  readonly principalIds: ReadonlyMap<string, string>;
}

export interface GrantRecord {
  readonly grantId: string;
  readonly name?: string;
  readonly granteePrincipal: string;
  readonly retiringPrincipal?: string;
  readonly operations: readonly string[];
  readonly issuingAccount: string;
  readonly creationDate: number;
  readonly constraints?: unknown;
}

export interface KeyRecord {
  readonly keyId: string;
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  description: string;
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly origin: string;
  readonly keyManager: 'CUSTOMER' | 'AWS';
  readonly multiRegion: boolean;
  readonly multiRegionKeyType?: 'PRIMARY' | 'REPLICA';
  readonly creationDate: number;
  keyState: KeyState;
  /** Epoch ms; only while PendingDeletion. */
  deletionDate?: number;
  /** Only while PendingReplicaDeletion. */
  pendingWindowInDays?: number;
  policy: StoredPolicy;
  rotationEnabled: boolean;
  rotationPeriodInDays: number;
  /** Epoch ms of the last rotation-configuration change, used to compute NextRotationDate. */
  rotationEnabledAt?: number;
  readonly tags: Map<string, string>;
  readonly grants: GrantRecord[];
  readonly keyMaterialId: string;
}

export interface AliasRecord {
  readonly accountId: string;
  readonly region: string;
  readonly aliasName: string;
  targetKeyId: string;
  readonly creationDate: number;
  lastUpdatedDate: number;
}

export type EncryptionKeyType = 'AWS_OWNED_KMS_KEY' | 'CUSTOMER_MANAGED_KEY';
export type EncryptionStatus = 'UPDATING' | 'ENABLED' | 'UPDATE_FAILED';

export interface EncryptionDetails {
  keyType: EncryptionKeyType;
  kmsKeyArn?: string;
  status: EncryptionStatus;
  reason?: string;
}

export interface InstanceRecord {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly ownerAccountId: string;
  readonly region: string;
  /** Organization instance (in the management account) or account instance. */
  readonly organization: boolean;
  name?: string;
  readonly createdDate: number;
  status: 'ACTIVE' | 'CREATE_IN_PROGRESS' | 'CREATE_FAILED' | 'DELETE_IN_PROGRESS';
  permissionSetsEnabled: boolean;
  encryption: EncryptionDetails;
  /** The pending UpdateInstance completion, cleared when it settles. */
  pendingUpdate?: NodeJS.Timeout;
}

export interface S3ObjectRecord {
  readonly body: Buffer;
  readonly lastModified: number;
  readonly etag: string;
  readonly contentType: string;
}

export interface BucketRecord {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** Other accounts allowed to read and write (a stand-in for a bucket policy). */
  readonly sharedWith: Set<string>;
  readonly objects: Map<string, S3ObjectRecord>;
}

/** The whole world. Maps are keyed as documented on each field. */
export class LocalAwsState {
  /** accountId -> account. */
  readonly accounts = new Map<string, AccountRecord>();
  /** accessKeyId -> credential (long-term and session). */
  readonly credentials = new Map<string, CredentialRecord>();
  /** `${accountId}/${region}/${keyId}` -> key. */
  readonly keys = new ScopedMap<KeyRecord>();
  /** `${accountId}/${region}/${aliasName}` -> alias. */
  readonly aliases = new ScopedMap<AliasRecord>();
  /** instanceArn -> instance. */
  readonly instances = new Map<string, InstanceRecord>();
  /** bucket name -> bucket (names are global, as in S3). */
  readonly buckets = new Map<string, BucketRecord>();
  /** Unique IDs of every role ever created, so a policy can still show the ID of a deleted one. */
  readonly rng: SeededRandom;
  private clockOffsetMs = 0;

  constructor(seed: number) {
    this.rng = new SeededRandom(seed);
  }

  /** The emulator's clock in epoch ms: wall time plus whatever tests advanced it by. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Moves the emulator's clock forward (expires sessions, passes deletion dates). */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  uniqueId(prefix: 'AROA' | 'AIDA'): string {
    return prefix + this.rng.chars(ID_ALPHABET, 17);
  }

  keyKey(accountId: string, region: string, keyId: string): string {
    return `${accountId}/${region}/${keyId}`;
  }

  aliasKey(accountId: string, region: string, aliasName: string): string {
    return `${accountId}/${region}/${aliasName}`;
  }

  /** The key, or undefined; a key whose deletion date has passed is removed on first look. */
  getKey(accountId: string, region: string, keyId: string): KeyRecord | undefined {
    const k = this.keyKey(accountId, region, keyId);
    const key = this.keys.get(k);
    if (key && key.keyState === 'PendingDeletion' && key.deletionDate !== undefined && key.deletionDate <= this.now()) {
      this.keys.delete(k);
      for (const alias of this.aliases.inScope(accountId, region)) {
        if (alias.targetKeyId === keyId) this.aliases.delete(this.aliasKey(accountId, region, alias.aliasName));
      }
      return undefined;
    }
    return key;
  }

  /** Every key of one account and Region (expired deletions removed). */
  keysIn(accountId: string, region: string): KeyRecord[] {
    const out: KeyRecord[] = [];
    for (const key of this.keys.inScope(accountId, region)) {
      const live = this.getKey(accountId, region, key.keyId);
      if (live) out.push(live);
    }
    return out;
  }

  /** Every Region's copy of a multi-Region key (primary and replicas), in one account. */
  relatedKeys(key: KeyRecord): KeyRecord[] {
    if (!key.multiRegion) return [key];
    return this.keys.inAccount(key.accountId).filter((k) => k.keyId === key.keyId);
  }
}

export function keyArn(region: string, accountId: string, keyId: string): string {
  return `arn:${PARTITION}:kms:${region}:${accountId}:key/${keyId}`;
}

export function aliasArn(region: string, accountId: string, aliasName: string): string {
  return `arn:${PARTITION}:kms:${region}:${accountId}:${aliasName}`;
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:${PARTITION}:iam::${accountId}:role/${roleName}`;
}

export function accountRootArn(accountId: string): string {
  return `arn:${PARTITION}:iam::${accountId}:root`;
}

export function identityStoreArn(accountId: string, identityStoreId: string): string {
  return `arn:${PARTITION}:identitystore::${accountId}:identitystore/${identityStoreId}`;
}
