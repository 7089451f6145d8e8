/**
 * Read live: one target's key, replicas, aliases, tags and instance encryption, straight from the
 * KMS and SSO Admin APIs. Every read becomes a `Read<T>` (a value or a typed failure), so "could not
 * read" is never confused with "absent"; an AWS failure never throws.
 *
 * Independent reads run concurrently: round 1 is DescribeKey, GetKeyPolicy, GetKeyRotationStatus,
 * ListAliases, ListResourceTags, every replica's reads and DescribeInstance; round 2 (only when an
 * expected alias does not point at the key) resolves where that alias points now.
 */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  KeyMetadata,
  paginateListAliases,
  paginateListResourceTags,
} from '@aws-sdk/client-kms';
import { DescribeInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { awsErrorCode, describeAwsError } from '../../aws/errors';
import type {
  ExpectedAlias,
  ExpectedTarget,
  LiveAlias,
  LiveInstanceEncryption,
  LiveKey,
  LiveKeyMetadata,
  LiveReplica,
  LiveRotation,
  LiveTarget,
  Read,
} from '../model';
import { LIVE_OPERATIONS } from './operations';

/** The clients one target's reads use: the target Region's, and the KMS client of any other Region. */
export interface LiveClients {
  readonly kms: KMSClient;
  readonly ssoAdmin: SSOAdminClient;
  kmsFor(region: string): KMSClient;
}

export interface ReadLiveOptions {
  /**
   * The per-target timeout: reads that fail once it has fired are AWS_TIMEOUT failures. The calls
   * themselves are aborted by the clients (a lease's signal, see aws/client-pool.ts): calls sent with
   * per-call options would bypass the SDK's middleware cache.
   */
  readonly signal?: AbortSignal;
  /** The last error AWS answered the target's calls with, named in timeouts (what the reads were waiting on). */
  readonly lastError?: () => string | undefined;
}

export async function readLiveTarget(expected: ExpectedTarget, clients: LiveClients, options: ReadLiveOptions = {}): Promise<LiveTarget> {
  const key = expected.key;
  const kms = clients.kms;
  // By ARN, never by bare key ID: with credentials for another account a key ID names a key in that
  // account, and KMS's NotFound would read as "the key is gone". By ARN the answer is about this key.
  const keyRef = key.arn || key.keyId;

  const [metadata, policy, rotation, listedAliases, tags, replicas, instance] = await Promise.all([
    describeKey(kms, keyRef),
    getKeyPolicy(kms, keyRef),
    attempt(LIVE_OPERATIONS.getKeyRotationStatus, options, async (): Promise<LiveRotation> => {
      const out = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyRef }));
      return {
        enabled: out.KeyRotationEnabled === true,
        ...(out.RotationPeriodInDays !== undefined ? { periodInDays: out.RotationPeriodInDays } : {}),
      };
    }),
    // A key that is gone has no aliases (NotFound, settled below); where its aliases point now is resolved below.
    attempt(LIVE_OPERATIONS.listAliases, options, async (): Promise<readonly string[]> => {
      const names: string[] = [];
      for await (const page of paginateListAliases({ client: kms }, { KeyId: keyRef })) {
        for (const a of page.Aliases ?? []) if (a.AliasName) names.push(a.AliasName);
      }
      return names.sort();
    }),
    listTags(kms, keyRef, options),
    Promise.all(
      expected.replicas.map(async (replica): Promise<LiveReplica> => {
        const client = clients.kmsFor(replica.region);
        const [m, p, t] = await Promise.all([
          describeKey(client, replica.arn),
          getKeyPolicy(client, replica.arn),
          listTags(client, replica.arn, options),
        ]);
        return { region: replica.region, metadata: m, policy: p, tags: t };
      }),
    ),
    expected.encryption ? describeInstance(clients.ssoAdmin, expected.encryption.instanceArn) : Promise.resolve(undefined),
  ]);

  // ListAliases' NotFound means "no aliases" only when DescribeKey agrees that the key is gone; next to a
  // key that exists it is a failed read (could not check), never an empty list that hides a rogue alias.
  const keyGone = metadata.ok && metadata.value === null;
  const aliases = listedAliases.ok || !(keyGone && listedAliases.error.code === 'AWS_NOT_FOUND') ? listedAliases : { ok: true as const, value: [] as readonly string[] };
  const expectedAliases = await resolveExpectedAliases(expected, aliases, clients);

  const live: LiveKey = { metadata, policy, rotation, aliases, expectedAliases, tags };
  return { target: expected.target, key: live, replicas, ...(instance ? { instance } : {}) };

  function getKeyPolicy(client: KMSClient, keyId: string): Promise<Read<string>> {
    return attempt(LIVE_OPERATIONS.getKeyPolicy, options, async () => {
      const out = await client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
      return out.Policy ?? '';
    });
  }

  function describeKey(client: KMSClient, keyId: string): Promise<Read<LiveKeyMetadata | null>> {
    return attempt(
      LIVE_OPERATIONS.describeKey,
      options,
      async () => {
        const out = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
        return out.KeyMetadata ? toLiveMetadata(out.KeyMetadata) : null;
      },
      null,
    );
  }

  function describeInstance(client: SSOAdminClient, instanceArn: string): Promise<Read<LiveInstanceEncryption | null>> {
    return attempt(
      LIVE_OPERATIONS.describeInstance,
      options,
      async () => {
        const out = await client.send(new DescribeInstanceCommand({ InstanceArn: instanceArn }));
        const details = out.EncryptionConfigurationDetails ?? {};
        return {
          instanceArn: out.InstanceArn ?? instanceArn,
          ...(details.KeyType !== undefined ? { keyType: details.KeyType } : {}),
          ...(details.KmsKeyArn !== undefined ? { kmsKeyArn: details.KmsKeyArn } : {}),
          ...(details.EncryptionStatus !== undefined ? { encryptionStatus: details.EncryptionStatus } : {}),
          ...(details.EncryptionStatusReason ? { encryptionStatusReason: details.EncryptionStatusReason } : {}),
        };
      },
      null,
    );
  }

  /**
   * Where each expected alias points now. An alias in the key's Region that ListAliases returned points
   * at the key; every other one is looked up by DescribeKey on the alias name in its Region: NotFound
   * means the alias is missing, another key ID means it moved.
   */
  async function resolveExpectedAliases(
    target: ExpectedTarget,
    onKey: Read<readonly string[]>,
    c: LiveClients,
  ): Promise<Read<readonly LiveAlias[]>> {
    // Without the key's own alias list there is no telling: an alias name looked up instead resolves in
    // the caller's account, so "not found" there could be a wrong account, not a missing alias.
    if (!onKey.ok && target.aliases.length > 0) return onKey;
    const pointing = onKey.ok ? new Set(onKey.value) : new Set<string>();
    const reads = await Promise.all(
      target.aliases.map(async (alias: ExpectedAlias): Promise<Read<LiveAlias>> => {
        if (alias.region === target.region && pointing.has(alias.name)) return { ok: true, value: { name: alias.name, targetKeyId: target.key.keyId } };
        const client = alias.region === target.region ? c.kms : c.kmsFor(alias.region);
        const r = await describeKey(client, alias.name);
        if (!r.ok) return r;
        return { ok: true, value: r.value ? { name: alias.name, targetKeyId: r.value.keyId } : { name: alias.name } };
      }),
    );
    const failed = reads.find((r): r is Extract<Read<LiveAlias>, { ok: false }> => !r.ok);
    if (failed) return failed;
    return { ok: true, value: reads.map((r) => (r as Extract<Read<LiveAlias>, { ok: true }>).value) };
  }
}

function listTags(client: KMSClient, keyId: string, options: ReadLiveOptions): Promise<Read<Readonly<Record<string, string>>>> {
  return attempt(LIVE_OPERATIONS.listResourceTags, options, async () => {
    const tags: Record<string, string> = {};
    for await (const page of paginateListResourceTags({ client }, { KeyId: keyId })) {
      for (const t of page.Tags ?? []) if (t.TagKey !== undefined) tags[t.TagKey] = t.TagValue ?? '';
    }
    return tags;
  });
}

/**
 * Runs one read and turns its outcome into a Read<T>. With `notFound` given, AWS's NotFound is a value
 * (the thing does not exist); otherwise it is a failure like any other. An abort is a timeout.
 */
async function attempt<T>(operation: string, options: ReadLiveOptions, fn: () => Promise<T>, notFound?: T): Promise<Read<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (options.signal?.aborted) {
      const last = options.lastError?.();
      return { ok: false, error: { code: 'AWS_TIMEOUT', operation, message: `${operation}: timed out (the target's time limit passed)${last ? `; the last AWS error before that: ${last}` : ''}` } };
    }
    const code = awsErrorCode(e);
    if (code === 'AWS_NOT_FOUND' && notFound !== undefined) return { ok: true, value: notFound };
    return { ok: false, error: { code, operation, message: describeAwsError(operation, e) } };
  }
}

export function toLiveMetadata(m: KeyMetadata): LiveKeyMetadata {
  const type = m.MultiRegionConfiguration?.MultiRegionKeyType;
  return {
    keyId: m.KeyId ?? '',
    arn: m.Arn ?? '',
    account: m.AWSAccountId ?? '',
    keyState: m.KeyState ?? 'Unknown',
    enabled: m.Enabled === true,
    description: m.Description ?? '',
    keySpec: m.KeySpec ?? m.CustomerMasterKeySpec ?? '',
    keyUsage: m.KeyUsage ?? '',
    origin: m.Origin ?? '',
    keyManager: m.KeyManager ?? '',
    multiRegion: m.MultiRegion === true,
    ...(type === 'PRIMARY' || type === 'REPLICA' ? { multiRegionKeyType: type } : {}),
    ...(type === 'PRIMARY' ? { replicaRegions: (m.MultiRegionConfiguration?.ReplicaKeys ?? []).flatMap((r) => (r.Region ? [r.Region] : [])).sort() } : {}),
    ...(m.DeletionDate ? { deletionDate: m.DeletionDate.toISOString() } : {}),
    ...(m.PendingDeletionWindowInDays !== undefined ? { pendingDeletionWindowInDays: m.PendingDeletionWindowInDays } : {}),
  };
}
