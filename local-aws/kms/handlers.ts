/** KMS (`TrentService.*`): key lifecycle, policy, rotation and listing. Aliases and tags live beside. */
import { AwsError, validationError } from '../errors';
import { epochSeconds, optionalInt, optionalString, paginate, requireString, type Handler } from '../handler';
import { keyArn } from '../state';
import { CreateAlias, DeleteAlias, ListAliases, UpdateAlias } from './aliases';
import { createKeyRecord, keyMetadata, MANAGEABLE_STATES, requireKeyState, resolveKey } from './keys';
import { assertNoLockout } from './lockout';
import { reserialisePolicy, storePolicy } from './policy-format';
import { CreateGrant, ListGrants, ListResourceTags, parseTags, TagResource, UntagResource } from './tags';

export const ROTATION_PERIOD_MIN_DAYS = 90;
export const ROTATION_PERIOD_MAX_DAYS = 2560;
export const DELETION_WINDOW_MIN_DAYS = 7;
export const DELETION_WINDOW_MAX_DAYS = 30;
export const DESCRIPTION_MAX_LENGTH = 8192;
export const LIST_KEYS_MAX_LIMIT = 1000;
export const DEFAULT_POLICY_NAME = 'default';
const DAY_MS = 24 * 60 * 60 * 1000;

function description(input: Readonly<Record<string, unknown>>): string | undefined {
  const d = optionalString(input, 'Description');
  if (d !== undefined && d.length > DESCRIPTION_MAX_LENGTH) throw validationError('description', `${d.slice(0, 20)}...`, `Member must have length less than or equal to ${DESCRIPTION_MAX_LENGTH}`);
  return d;
}

function policyName(input: Readonly<Record<string, unknown>>): void {
  const name = optionalString(input, 'PolicyName') ?? DEFAULT_POLICY_NAME;
  if (name !== DEFAULT_POLICY_NAME) throw new AwsError('NotFoundException', `No such policy exists: ${name}. The only valid name is ${DEFAULT_POLICY_NAME}.`);
}

/** Stands for the key CreateKey is about to create, in its lockout check. */
const NEW_KEY_ID = '00000000-0000-0000-0000-000000000000';

const CreateKey: Handler = (ctx, input) => {
  const policy = optionalString(input, 'Policy');
  // The new key's ID is not known yet: a Resource pattern for the account's keys must still match it.
  if (policy !== undefined) assertNoLockout(ctx, policy, input.BypassPolicyLockoutSafetyCheck, keyArn(ctx.region, ctx.accountId, NEW_KEY_ID));
  const key = createKeyRecord(ctx.state, {
    accountId: ctx.accountId,
    region: ctx.region,
    policy: optionalString(input, 'Policy'),
    description: description(input),
    keySpec: optionalString(input, 'KeySpec') ?? optionalString(input, 'CustomerMasterKeySpec'),
    keyUsage: optionalString(input, 'KeyUsage'),
    origin: optionalString(input, 'Origin'),
    multiRegion: input.MultiRegion === true,
    tags: parseTags(input),
  });
  return { KeyMetadata: keyMetadata(ctx.state, key) };
};

const DescribeKey: Handler = (ctx, input) => ({ KeyMetadata: keyMetadata(ctx.state, resolveKey(ctx, input.KeyId, 'DescribeKey')) });

const ListKeys: Handler = (ctx, input) => {
  const limit = optionalInt(input, 'Limit', 1, LIST_KEYS_MAX_LIMIT) ?? 100;
  const keys = ctx.state.keysIn(ctx.accountId, ctx.region).map((k) => ({ KeyId: k.keyId, KeyArn: k.arn }));
  const page = paginate(keys, limit, optionalString(input, 'Marker'));
  return { Keys: page.items, Truncated: page.next !== undefined, ...(page.next ? { NextMarker: page.next } : {}) };
};

const GetKeyPolicy: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'GetKeyPolicy');
  policyName(input);
  return { Policy: reserialisePolicy(ctx.state, key.policy, key.arn), PolicyName: DEFAULT_POLICY_NAME };
};

const PutKeyPolicy: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'PutKeyPolicy');
  policyName(input);
  if (typeof input.Policy === 'string') assertNoLockout(ctx, input.Policy, input.BypassPolicyLockoutSafetyCheck, key.arn);
  key.policy = storePolicy(ctx.state, input.Policy);
  return {};
};

const ListKeyPolicies: Handler = (ctx, input) => {
  resolveKey(ctx, input.KeyId, 'ListKeyPolicies');
  return { PolicyNames: [DEFAULT_POLICY_NAME], Truncated: false };
};

const GetKeyRotationStatus: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'GetKeyRotationStatus');
  const out: Record<string, unknown> = { KeyId: key.arn, KeyRotationEnabled: key.rotationEnabled };
  if (key.rotationEnabled) {
    out.RotationPeriodInDays = key.rotationPeriodInDays;
    out.NextRotationDate = epochSeconds((key.rotationEnabledAt ?? key.creationDate) + key.rotationPeriodInDays * DAY_MS);
  }
  return out;
};

function rotatable(key: ReturnType<typeof resolveKey>): void {
  if (key.keySpec !== 'SYMMETRIC_DEFAULT' || key.origin !== 'AWS_KMS') {
    throw new AwsError('UnsupportedOperationException', `${key.arn}: automatic rotation is only for symmetric keys with AWS_KMS key material (this one is ${key.keySpec}, ${key.origin}).`);
  }
  if (key.multiRegionKeyType === 'REPLICA') {
    throw new AwsError('UnsupportedOperationException', `${key.arn} is a multi-Region replica; set rotation on its primary key.`);
  }
}

const EnableKeyRotation: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'EnableKeyRotation');
  const period = optionalInt(input, 'RotationPeriodInDays', ROTATION_PERIOD_MIN_DAYS, ROTATION_PERIOD_MAX_DAYS);
  rotatable(key);
  requireKeyState(key, ['Enabled']);
  key.rotationEnabled = true;
  key.rotationPeriodInDays = period ?? key.rotationPeriodInDays;
  key.rotationEnabledAt = ctx.state.now();
  return {};
};

const DisableKeyRotation: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'DisableKeyRotation');
  rotatable(key);
  requireKeyState(key, ['Enabled']);
  key.rotationEnabled = false;
  return {};
};

const EnableKey: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'EnableKey');
  requireKeyState(key, ['Enabled', 'Disabled']);
  key.keyState = 'Enabled';
  return {};
};

const DisableKey: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'DisableKey');
  requireKeyState(key, ['Enabled', 'Disabled']);
  key.keyState = 'Disabled';
  return {};
};

const ScheduleKeyDeletion: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'ScheduleKeyDeletion');
  const days = optionalInt(input, 'PendingWindowInDays', DELETION_WINDOW_MIN_DAYS, DELETION_WINDOW_MAX_DAYS) ?? DELETION_WINDOW_MAX_DAYS;
  requireKeyState(key, MANAGEABLE_STATES);
  const liveReplicas = key.multiRegionKeyType === 'PRIMARY' ? ctx.state.relatedKeys(key).filter((k) => k !== key && k.keyState !== 'PendingDeletion') : [];
  if (liveReplicas.length > 0) {
    key.keyState = 'PendingReplicaDeletion';
    key.pendingWindowInDays = days;
    return { KeyId: key.arn, KeyState: key.keyState, PendingWindowInDays: days };
  }
  key.keyState = 'PendingDeletion';
  key.deletionDate = ctx.state.now() + days * DAY_MS;
  return { KeyId: key.arn, DeletionDate: epochSeconds(key.deletionDate), KeyState: key.keyState, PendingWindowInDays: days };
};

const CancelKeyDeletion: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'CancelKeyDeletion');
  requireKeyState(key, ['PendingDeletion', 'PendingReplicaDeletion']);
  key.keyState = 'Disabled';
  key.deletionDate = undefined;
  key.pendingWindowInDays = undefined;
  return { KeyId: key.arn };
};

const ReplicateKey: Handler = (ctx, input) => {
  const primary = resolveKey(ctx, input.KeyId, 'ReplicateKey');
  const replicaRegion = requireString(input, 'ReplicaRegion');
  if (primary.multiRegionKeyType !== 'PRIMARY') throw new AwsError('UnsupportedOperationException', `${primary.arn} is not a multi-Region primary key.`);
  requireKeyState(primary, ['Enabled', 'Disabled']);
  if (replicaRegion === primary.region) throw validationError('replicaRegion', replicaRegion, `Member must differ from the primary key's Region ${primary.region}`);
  const replicaPolicy = optionalString(input, 'Policy');
  if (replicaPolicy !== undefined) assertNoLockout(ctx, replicaPolicy, input.BypassPolicyLockoutSafetyCheck, keyArn(replicaRegion, primary.accountId, primary.keyId));
  if (ctx.state.getKey(primary.accountId, replicaRegion, primary.keyId)) {
    throw new AwsError('AlreadyExistsException', `Key ${keyArn(replicaRegion, primary.accountId, primary.keyId)} already exists.`);
  }
  const replica = createKeyRecord(ctx.state, {
    accountId: primary.accountId,
    region: replicaRegion,
    policy: optionalString(input, 'Policy'),
    description: description(input) ?? primary.description,
    tags: parseTags(input),
    replicaOf: primary,
  });
  return {
    ReplicaKeyMetadata: keyMetadata(ctx.state, replica),
    ReplicaPolicy: reserialisePolicy(ctx.state, replica.policy, replica.arn),
    ReplicaTags: [...replica.tags.entries()].map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
  };
};

const UpdateKeyDescription: Handler = (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId, 'UpdateKeyDescription');
  requireKeyState(key, MANAGEABLE_STATES);
  key.description = description(input) ?? '';
  return {};
};

/** Every KMS operation the emulator serves, by `X-Amz-Target` suffix. */
export const KMS_OPERATIONS: Readonly<Record<string, Handler>> = {
  CreateKey, DescribeKey, ListKeys, GetKeyPolicy, PutKeyPolicy, ListKeyPolicies,
  GetKeyRotationStatus, EnableKeyRotation, DisableKeyRotation, EnableKey, DisableKey,
  ScheduleKeyDeletion, CancelKeyDeletion, ReplicateKey, UpdateKeyDescription,
  CreateAlias, UpdateAlias, DeleteAlias, ListAliases,
  TagResource, UntagResource, ListResourceTags, CreateGrant, ListGrants,
};
