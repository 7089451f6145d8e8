/**
 * Seeding: the supported way for tests, demos and benchmarks to build a world (accounts with
 * credentials, roles, Identity Center instances, keys, aliases, buckets), without going through
 * the API.
 */
import { createHash } from 'node:crypto';
import { AwsError } from './errors';
import { createKeyRecord } from './kms/keys';
import { storePolicy } from './kms/policy-format';
import { applyTags } from './kms/tags';
import { ID_ALPHABET } from './rng';
import {
  aliasArn, PARTITION, roleArn, type EncryptionDetails, type InstanceRecord, type KeyRecord, type LocalAwsState,
} from './state';

/** Long-term credentials of a seeded account (fake, local only; fine to print). */
export interface LocalCredentials {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface AccountSpec {
  /** 12 digits. */
  readonly accountId: string;
  /** AWS Organizations ID (`o-...`). @default none (not in an organization) */
  readonly orgId?: string;
  /** @default `AKIDLOCAL` + the account ID */
  readonly accessKeyId?: string;
  /** @default {@link deterministicSecret} of the account */
  readonly secretAccessKey?: string;
  /** IAM user the credentials belong to. @default 'local-admin' */
  readonly userName?: string;
}

export interface RoleSpec {
  /** Accounts whose principals may assume the role. */
  readonly trustedAccounts: readonly string[];
  /** @default 3600 */
  readonly maxSessionDurationSeconds?: number;
}

export interface InstanceSpec {
  readonly accountId: string;
  readonly region: string;
  /** @default `arn:aws:sso:::instance/ssoins-` + 16 characters */
  readonly instanceArn?: string;
  /** @default `d-` + 10 characters */
  readonly identityStoreId?: string;
  /** Organization instance (management account) or account instance. @default true */
  readonly organization?: boolean;
  /** @default none */
  readonly name?: string;
  /** @default AWS owned key, ENABLED */
  readonly encryption?: EncryptionDetails;
}

export interface KeySpec {
  readonly accountId: string;
  readonly region: string;
  /** @default the default key policy (account root: kms:*) */
  readonly policy?: string;
  /** @default '' */
  readonly description?: string;
  /** @default false */
  readonly multiRegion?: boolean;
  /** @default 'SYMMETRIC_DEFAULT' */
  readonly keySpec?: string;
  /** @default 'ENCRYPT_DECRYPT' */
  readonly keyUsage?: string;
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
  /** Aliases (`alias/...`) pointing at the key. @default none */
  readonly aliases?: readonly string[];
  /** Enables rotation with this period. @default rotation off */
  readonly rotationPeriodInDays?: number;
}

export interface SeededKey {
  readonly keyId: string;
  readonly arn: string;
}

export interface BucketSpec {
  readonly name: string;
  readonly accountId: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Other accounts allowed to read and write. @default none */
  readonly sharedWith?: readonly string[];
}

const ACCOUNT_ID = /^\d{12}$/;

/** The fixed secret of a seeded account, so docs and demos can show it. */
export function deterministicSecret(accountId: string): string {
  return `local-secret-${accountId}-not-for-aws`;
}

export function deterministicAccessKeyId(accountId: string): string {
  return `AKIDLOCAL${accountId}`;
}

export class Seeder {
  constructor(private readonly state: LocalAwsState) {}

  /** Adds an account (idempotent) and returns its long-term credentials. */
  addAccount(spec: AccountSpec): LocalCredentials {
    if (!ACCOUNT_ID.test(spec.accountId)) throw new AwsError('ValidationException', `accountId: got ${JSON.stringify(spec.accountId)}; allowed: 12 digits`);
    let account = this.state.accounts.get(spec.accountId);
    const userName = spec.userName ?? 'local-admin';
    if (!account) {
      account = { accountId: spec.accountId, orgId: spec.orgId, userName, userId: this.state.uniqueId('AIDA'), roles: new Map() };
      this.state.accounts.set(spec.accountId, account);
    } else if (spec.orgId !== undefined) account.orgId = spec.orgId;
    const accessKeyId = spec.accessKeyId ?? deterministicAccessKeyId(spec.accountId);
    const secretAccessKey = spec.secretAccessKey ?? deterministicSecret(spec.accountId);
    this.state.credentials.set(accessKeyId, {
      accessKeyId, secretAccessKey, accountId: spec.accountId, kind: 'user',
      arn: `arn:${PARTITION}:iam::${spec.accountId}:user/${userName}`, userId: account.userId,
    });
    return { accountId: spec.accountId, accessKeyId, secretAccessKey };
  }

  /** The account's first long-term credentials. */
  credentialsFor(accountId: string): LocalCredentials {
    for (const c of this.state.credentials.values()) {
      if (c.accountId === accountId && c.kind === 'user') return { accountId, accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
    }
    throw new AwsError('NotFoundException', `No account ${accountId} has been seeded.`);
  }

  /** Adds (or recreates, with a new unique ID) a role trusted by the given accounts. */
  addRole(accountId: string, roleName: string, spec: RoleSpec): { readonly arn: string; readonly uniqueId: string } {
    const account = this.state.accounts.get(accountId);
    if (!account) throw new AwsError('NotFoundException', `No account ${accountId} has been seeded; call addAccount first.`);
    const role = {
      accountId, roleName, arn: roleArn(accountId, roleName), uniqueId: this.state.uniqueId('AROA'),
      trustedAccounts: new Set(spec.trustedAccounts), maxSessionDurationSeconds: spec.maxSessionDurationSeconds ?? 3600,
    };
    account.roles.set(roleName, role);
    return { arn: role.arn, uniqueId: role.uniqueId };
  }

  /** Deletes a role: key policies naming it now show its unique ID; its sessions stop working. */
  deleteRole(accountId: string, roleName: string): void {
    this.state.accounts.get(accountId)?.roles.delete(roleName);
    for (const [id, c] of this.state.credentials) {
      if (c.kind === 'assumed-role' && c.accountId === accountId && c.roleName === roleName) this.state.credentials.delete(id);
    }
  }

  addInstance(spec: InstanceSpec): InstanceRecord {
    if (!this.state.accounts.has(spec.accountId)) this.addAccount({ accountId: spec.accountId });
    const instanceArn = spec.instanceArn ?? `arn:${PARTITION}:sso:::instance/ssoins-${this.state.rng.chars('0123456789abcdef', 16)}`;
    const instance: InstanceRecord = {
      instanceArn,
      identityStoreId: spec.identityStoreId ?? `d-${this.state.rng.chars('0123456789abcdef', 10)}`,
      ownerAccountId: spec.accountId,
      region: spec.region,
      organization: spec.organization ?? true,
      name: spec.name,
      createdDate: this.state.now(),
      status: 'ACTIVE',
      permissionSetsEnabled: true,
      encryption: spec.encryption ?? { keyType: 'AWS_OWNED_KMS_KEY', status: 'ENABLED' },
    };
    this.state.instances.set(instanceArn, instance);
    return instance;
  }

  createKey(spec: KeySpec): SeededKey {
    const key = createKeyRecord(this.state, spec);
    if (spec.tags) applyTags(key, spec.tags);
    for (const alias of spec.aliases ?? []) this.createAlias(spec.accountId, spec.region, alias, key.keyId);
    if (spec.rotationPeriodInDays !== undefined) {
      key.rotationEnabled = true;
      key.rotationPeriodInDays = spec.rotationPeriodInDays;
      key.rotationEnabledAt = this.state.now();
    }
    return { keyId: key.keyId, arn: key.arn };
  }

  /** Adds a replica of a multi-Region primary key in another Region. */
  replicateKey(primaryArn: string, region: string, policy?: string): SeededKey {
    const primary = this.key(primaryArn);
    const replica = createKeyRecord(this.state, { accountId: primary.accountId, region, policy, description: primary.description, replicaOf: primary });
    return { keyId: replica.keyId, arn: replica.arn };
  }

  createAlias(accountId: string, region: string, aliasName: string, keyId: string): string {
    const now = this.state.now();
    this.state.aliases.set(this.state.aliasKey(accountId, region, aliasName), { accountId, region, aliasName, targetKeyId: keyId, creationDate: now, lastUpdatedDate: now });
    return aliasArn(region, accountId, aliasName);
  }

  /** Stores a policy on a key directly (as PutKeyPolicy would). */
  putKeyPolicy(keyArnText: string, policy: string): void {
    this.key(keyArnText).policy = storePolicy(this.state, policy);
  }

  createBucket(spec: BucketSpec): void {
    this.state.buckets.set(spec.name, { name: spec.name, accountId: spec.accountId, region: spec.region ?? 'us-east-1', sharedWith: new Set(spec.sharedWith ?? []), objects: new Map() });
  }

  putObject(bucket: string, key: string, body: string | Buffer, contentType = 'application/json'): void {
    const b = this.state.buckets.get(bucket);
    if (!b) throw new AwsError('NoSuchBucket', `No bucket ${bucket} has been seeded.`, 404);
    const data = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const etag = `"${createHash('md5').update(data).digest('hex')}"`;
    b.objects.set(key, { body: data, lastModified: this.state.now(), etag, contentType });
  }

  /** The key record behind a key ARN (for direct inspection in tests). */
  key(keyArnText: string): KeyRecord {
    const m = /^arn:[a-z-]+:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/.exec(keyArnText);
    const key = m ? this.state.getKey(m[2], m[1], m[3]) : undefined;
    if (!key) throw new AwsError('NotFoundException', `No key ${keyArnText}.`);
    return key;
  }

  instance(instanceArn: string): InstanceRecord {
    const i = this.state.instances.get(instanceArn);
    if (!i) throw new AwsError('ResourceNotFoundException', `No instance ${instanceArn}.`);
    return i;
  }

  /** A random-looking but seeded identifier from the ID alphabet (for callers building names). */
  id(length: number): string {
    return this.state.rng.chars(ID_ALPHABET, length);
  }
}
