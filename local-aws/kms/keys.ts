/**
 * KMS keys: creation, lookup by any identifier (key ID, key ARN, alias name, alias ARN), the
 * cross-account rule, key-state rules and the KeyMetadata view.
 */
import { AwsError, validationError } from '../errors';
import { epochSeconds, type RequestContext } from '../handler';
import { aliasArn, keyArn, type KeyRecord, type KeyState, type LocalAwsState } from '../state';
import { defaultKeyPolicy, storePolicy } from './policy-format';
import { principalArnOf } from './lockout';
import { parsePolicy } from '../../policy/parse';
import { evaluatePolicy } from '../../policy/evaluate';

/** Key specs and the key usages each allows. */
export const KEY_SPEC_USAGES: Readonly<Record<string, readonly string[]>> = {
  SYMMETRIC_DEFAULT: ['ENCRYPT_DECRYPT'],
  RSA_2048: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_3072: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_4096: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  ECC_NIST_P256: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P384: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P521: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_SECG_P256K1: ['SIGN_VERIFY'],
  HMAC_224: ['GENERATE_VERIFY_MAC'],
  HMAC_256: ['GENERATE_VERIFY_MAC'],
  HMAC_384: ['GENERATE_VERIFY_MAC'],
  HMAC_512: ['GENERATE_VERIFY_MAC'],
};
export const KEY_ORIGINS = ['AWS_KMS', 'EXTERNAL'] as const;
/** Operations that accept a key of another account (by ARN), as in AWS. */
export const CROSS_ACCOUNT_OPERATIONS: ReadonlySet<string> = new Set(['DescribeKey', 'ListGrants', 'CreateGrant']);

export interface NewKey {
  readonly accountId: string;
  readonly region: string;
  /** @default the account's default key policy */
  readonly policy?: string;
  /** @default '' */
  readonly description?: string;
  /** @default 'SYMMETRIC_DEFAULT' */
  readonly keySpec?: string;
  /** @default 'ENCRYPT_DECRYPT' */
  readonly keyUsage?: string;
  /** @default 'AWS_KMS' */
  readonly origin?: string;
  /** @default false */
  readonly multiRegion?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
  /** For replicas: the primary's key ID (replicas share it). */
  readonly replicaOf?: KeyRecord;
}

/** Creates a key after checking spec, usage and origin; the policy is validated as PutKeyPolicy does. */
export function createKeyRecord(state: LocalAwsState, spec: NewKey): KeyRecord {
  const keySpec = spec.keySpec ?? spec.replicaOf?.keySpec ?? 'SYMMETRIC_DEFAULT';
  const usages = KEY_SPEC_USAGES[keySpec];
  if (!usages) throw validationError('keySpec', keySpec, `Member must satisfy enum value set: [${Object.keys(KEY_SPEC_USAGES).join(', ')}]`);
  const keyUsage = spec.keyUsage ?? spec.replicaOf?.keyUsage ?? usages[0];
  if (!usages.includes(keyUsage)) throw validationError('keyUsage', keyUsage, `Member must be one of [${usages.join(', ')}] for key spec ${keySpec}`);
  const origin = spec.origin ?? spec.replicaOf?.origin ?? 'AWS_KMS';
  if (!(KEY_ORIGINS as readonly string[]).includes(origin)) {
    throw new AwsError('UnsupportedOperationException', `Origin ${origin} is not supported by the local endpoint; allowed: ${KEY_ORIGINS.join(', ')}.`);
  }
  const multiRegion = spec.replicaOf ? true : spec.multiRegion ?? false;
  const keyId = spec.replicaOf?.keyId ?? (multiRegion ? `mrk-${state.rng.hex(32)}` : state.rng.uuid());
  const policy = storePolicy(state, spec.policy ?? defaultKeyPolicy(spec.accountId));
  const now = state.now();
  const key: KeyRecord = {
    keyId,
    arn: keyArn(spec.region, spec.accountId, keyId),
    accountId: spec.accountId,
    region: spec.region,
    description: spec.description ?? '',
    keySpec,
    keyUsage,
    origin,
    keyManager: 'CUSTOMER',
    multiRegion,
    multiRegionKeyType: multiRegion ? (spec.replicaOf ? 'REPLICA' : 'PRIMARY') : undefined,
    creationDate: now,
    keyState: origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
    policy,
    rotationEnabled: false,
    rotationPeriodInDays: DEFAULT_ROTATION_PERIOD_DAYS,
    tags: new Map(Object.entries(spec.tags ?? {})),
    grants: [],
    keyMaterialId: state.rng.hex(64),
  };
  state.keys.set(state.keyKey(key.accountId, key.region, key.keyId), key);
  return key;
}

export const DEFAULT_ROTATION_PERIOD_DAYS = 365;

const KEY_ARN = /^arn:[a-z-]+:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:[a-z-]+:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

/**
 * Finds the key a request names, in the caller's account and Region, or (by ARN) in another account
 * when the operation allows it. Throws NotFoundException / AccessDeniedException as AWS does.
 */
export function resolveKey(ctx: RequestContext, keyIdInput: unknown, operation: string, field = 'keyId'): KeyRecord {
  if (typeof keyIdInput !== 'string' || keyIdInput.length === 0) throw validationError(field, keyIdInput, 'Member must have length greater than or equal to 1');
  let accountId = ctx.accountId;
  let region = ctx.region;
  let keyId: string | undefined;
  let alias: string | undefined;
  const keyArnMatch = KEY_ARN.exec(keyIdInput);
  const aliasArnMatch = ALIAS_ARN.exec(keyIdInput);
  if (keyArnMatch) [, region, accountId, keyId] = keyArnMatch;
  else if (aliasArnMatch) [, region, accountId, alias] = aliasArnMatch;
  else if (keyIdInput.startsWith('alias/')) alias = keyIdInput;
  else if (keyIdInput.startsWith('arn:')) throw new AwsError('NotFoundException', `Invalid arn ${keyIdInput}`);
  else keyId = keyIdInput;

  if (region !== ctx.region) throw new AwsError('NotFoundException', `Invalid arn ${region}`);
  if (accountId !== ctx.accountId && !CROSS_ACCOUNT_OPERATIONS.has(operation)) throw accessDenied(ctx, operation, keyIdInput);
  if (alias !== undefined) {
    const record = ctx.state.aliases.get(ctx.state.aliasKey(accountId, region, alias));
    const target = record && ctx.state.getKey(accountId, region, record.targetKeyId);
    if (!record || !target) throw new AwsError('NotFoundException', `Alias ${aliasArn(region, accountId, alias)} is not found.`);
    return allowedAcrossAccounts(ctx, target, operation, keyIdInput);
  }
  const key = ctx.state.getKey(accountId, region, keyId!);
  if (!key) throw new AwsError('NotFoundException', `Key '${keyArn(region, accountId, keyId!)}' does not exist`);
  return allowedAcrossAccounts(ctx, key, operation, keyIdInput);
}

/**
 * Another account's key is served only when its key policy allows the caller the operation: KMS
 * needs the key policy's grant for any cross-account use (the caller's IAM policy is not modelled).
 */
function allowedAcrossAccounts(ctx: RequestContext, key: KeyRecord, operation: string, keyIdInput: string): KeyRecord {
  if (key.accountId === ctx.accountId) return key;
  let allowed = false;
  try {
    const doc = parsePolicy(key.policy.raw, 'key policy');
    allowed = evaluatePolicy(doc, { principal: { type: 'AWS', id: principalArnOf(ctx) }, action: `kms:${operation}`, resource: key.arn, context: {} }).decision === 'allow';
  } catch {
    allowed = false;
  }
  if (!allowed) throw accessDenied(ctx, operation, keyIdInput);
  return key;
}

export function accessDenied(ctx: RequestContext, operation: string, resource: string): AwsError {
  return new AwsError(
    'AccessDeniedException',
    `User: ${ctx.caller.arn} is not authorized to perform: kms:${operation} on resource: ${resource} because no resource-based policy allows the kms:${operation} action`,
  );
}

const STATE_WORDS: Partial<Record<KeyState, string>> = {
  Disabled: 'disabled',
  PendingDeletion: 'pending deletion',
  PendingReplicaDeletion: 'pending replica deletion',
  PendingImport: 'pending import',
};

/** Throws KMSInvalidStateException unless the key is in one of `allowed`. */
export function requireKeyState(key: KeyRecord, allowed: readonly KeyState[]): void {
  if (!allowed.includes(key.keyState)) {
    throw new AwsError('KMSInvalidStateException', `${key.arn} is ${STATE_WORDS[key.keyState] ?? key.keyState}.`);
  }
}

/** States in which a key still accepts management calls (everything but deletion). */
export const MANAGEABLE_STATES: readonly KeyState[] = ['Enabled', 'Disabled', 'PendingImport'];

function algorithms(key: KeyRecord): Record<string, string[]> {
  if (key.keySpec === 'SYMMETRIC_DEFAULT') return { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] };
  if (key.keySpec.startsWith('HMAC_')) return { MacAlgorithms: [`HMAC_SHA_${key.keySpec.slice(5)}`] };
  if (key.keyUsage === 'ENCRYPT_DECRYPT') return { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] };
  if (key.keyUsage === 'KEY_AGREEMENT') return { KeyAgreementAlgorithms: ['ECDH'] };
  if (key.keySpec.startsWith('RSA_')) return { SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PSS_SHA_256'] };
  return { SigningAlgorithms: ['ECDSA_SHA_256'] };
}

/** DescribeKey's KeyMetadata, with MultiRegionConfiguration built from the key's Region copies. */
export function keyMetadata(state: LocalAwsState, key: KeyRecord): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: epochSeconds(key.creationDate),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    Origin: key.origin,
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    ...algorithms(key),
    MultiRegion: key.multiRegion,
  };
  if (key.origin === 'AWS_KMS' && key.keySpec === 'SYMMETRIC_DEFAULT') meta.CurrentKeyMaterialId = key.keyMaterialId;
  if (key.deletionDate !== undefined && key.keyState === 'PendingDeletion') meta.DeletionDate = epochSeconds(key.deletionDate);
  if (key.keyState === 'PendingReplicaDeletion' && key.pendingWindowInDays !== undefined) meta.PendingDeletionWindowInDays = key.pendingWindowInDays;
  if (key.multiRegion) {
    const copies = state.relatedKeys(key);
    const primary = copies.find((k) => k.multiRegionKeyType === 'PRIMARY');
    meta.MultiRegionConfiguration = {
      MultiRegionKeyType: key.multiRegionKeyType,
      ...(primary ? { PrimaryKey: { Arn: primary.arn, Region: primary.region } } : {}),
      ReplicaKeys: copies.filter((k) => k.multiRegionKeyType === 'REPLICA').map((k) => ({ Arn: k.arn, Region: k.region })),
    };
  }
  return meta;
}
