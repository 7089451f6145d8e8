/**
 * SSO Admin (`SWBExternalService.*`, signing name `sso`): ListInstances, DescribeInstance and
 * UpdateInstance with EncryptionConfiguration. An encryption change moves the instance to UPDATING,
 * then after `instanceUpdateDelayMs` to ENABLED, or to UPDATE_FAILED with a reason while the
 * previous key stays in use.
 */
import { AwsError, validationError } from '../errors';
import { epochSeconds, optionalInt, optionalString, paginate, requireString, type Handler, type HandlerSettings, type RequestContext } from '../handler';
import type { EncryptionKeyType, InstanceRecord, LocalAwsState } from '../state';
import { keyRejectionReason } from './key-access';

export const INSTANCE_ARN_PATTERN = /^arn:aws(-[a-z]{1,5}){0,3}:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
export const KMS_KEY_ARN_PATTERN = /^arn:aws(-[a-z]{1,5}){0,3}:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[a-f0-9]{32}|[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})$/;
export const KEY_TYPES: readonly EncryptionKeyType[] = ['AWS_OWNED_KMS_KEY', 'CUSTOMER_MANAGED_KEY'];
/** UpdateInstance fields of which one request may carry only one. */
export const EXCLUSIVE_UPDATE_FIELDS = ['EncryptionConfiguration', 'PermissionSetsEnabled', 'NetworkConfiguration', 'Name'] as const;
export const LIST_INSTANCES_MAX_RESULTS = 100;

function findInstance(ctx: RequestContext, arnInput: unknown): InstanceRecord {
  const arn = typeof arnInput === 'string' ? arnInput : '';
  if (!INSTANCE_ARN_PATTERN.test(arn)) throw validationError('instanceArn', arnInput, `Member must satisfy regular expression pattern: ${INSTANCE_ARN_PATTERN.source}`);
  const instance = ctx.state.instances.get(arn);
  if (instance && instance.ownerAccountId !== ctx.accountId) {
    throw new AwsError('AccessDeniedException', `User: ${ctx.caller.arn} is not authorized to perform this operation on instance ${arn}, which belongs to another account.`);
  }
  if (!instance || instance.region !== ctx.region) throw new AwsError('ResourceNotFoundException', `Instance ${arn} does not exist in ${ctx.region}.`);
  return instance;
}

const ListInstances: Handler = (ctx, input) => {
  const max = optionalInt(input, 'MaxResults', 1, LIST_INSTANCES_MAX_RESULTS) ?? LIST_INSTANCES_MAX_RESULTS;
  const visible = [...ctx.state.instances.values()]
    .filter((i) => i.ownerAccountId === ctx.accountId && i.region === ctx.region)
    .map((i) => ({
      InstanceArn: i.instanceArn,
      IdentityStoreId: i.identityStoreId,
      OwnerAccountId: i.ownerAccountId,
      ...(i.name !== undefined ? { Name: i.name } : {}),
      CreatedDate: epochSeconds(i.createdDate),
      Status: i.status,
    }));
  const page = paginate(visible, max, optionalString(input, 'NextToken'), 'ValidationException');
  return { Instances: page.items, ...(page.next ? { NextToken: page.next } : {}) };
};

/** DescribeInstance's view of an instance. */
export function describeInstance(i: InstanceRecord): Record<string, unknown> {
  return {
    InstanceArn: i.instanceArn,
    IdentityStoreId: i.identityStoreId,
    OwnerAccountId: i.ownerAccountId,
    ...(i.name !== undefined ? { Name: i.name } : {}),
    CreatedDate: epochSeconds(i.createdDate),
    Status: i.status,
    PermissionSetsEnabled: i.permissionSetsEnabled,
    EncryptionConfigurationDetails: {
      KeyType: i.encryption.keyType,
      ...(i.encryption.kmsKeyArn !== undefined ? { KmsKeyArn: i.encryption.kmsKeyArn } : {}),
      EncryptionStatus: i.encryption.status,
      ...(i.encryption.reason !== undefined ? { EncryptionStatusReason: i.encryption.reason } : {}),
    },
  };
}

const DescribeInstance: Handler = (ctx, input) => describeInstance(findInstance(ctx, input.InstanceArn));

const UpdateInstance: Handler = (ctx, input) => {
  const instance = findInstance(ctx, input.InstanceArn);
  const given = EXCLUSIVE_UPDATE_FIELDS.filter((f) => input[f] !== undefined && input[f] !== null);
  if (given.length > 1) {
    throw new AwsError('ValidationException', `Specify only one of ${EXCLUSIVE_UPDATE_FIELDS.join(', ')} per UpdateInstance request; got ${given.join(', ')}.`);
  }
  if (given.length === 0) throw new AwsError('ValidationException', `Specify one of ${EXCLUSIVE_UPDATE_FIELDS.join(', ')}.`);
  if (input.Name !== undefined) {
    instance.name = requireString(input, 'Name');
    return {};
  }
  if (input.PermissionSetsEnabled !== undefined) {
    instance.permissionSetsEnabled = input.PermissionSetsEnabled === true;
    return {};
  }
  if (input.NetworkConfiguration !== undefined) return {};
  const config = input.EncryptionConfiguration as Readonly<Record<string, unknown>>;
  const keyType = config?.KeyType as EncryptionKeyType;
  if (!KEY_TYPES.includes(keyType)) throw validationError('encryptionConfiguration.keyType', keyType, `Member must satisfy enum value set: [${KEY_TYPES.join(', ')}]`);
  const kmsKeyArn = config.KmsKeyArn;
  if (keyType === 'AWS_OWNED_KMS_KEY' && kmsKeyArn !== undefined) {
    throw validationError('encryptionConfiguration.kmsKeyArn', kmsKeyArn, 'KmsKeyArn must not be given when KeyType is AWS_OWNED_KMS_KEY');
  }
  if (keyType === 'CUSTOMER_MANAGED_KEY' && (typeof kmsKeyArn !== 'string' || !KMS_KEY_ARN_PATTERN.test(kmsKeyArn))) {
    throw validationError('encryptionConfiguration.kmsKeyArn', kmsKeyArn, `KmsKeyArn is required when KeyType is CUSTOMER_MANAGED_KEY and must match ${KMS_KEY_ARN_PATTERN.source}`);
  }
  if (instance.encryption.status === 'UPDATING') {
    throw new AwsError('ConflictException', `Instance ${instance.instanceArn} is already updating its encryption configuration.`);
  }
  beginEncryptionUpdate(ctx.state, ctx.settings, instance, keyType, kmsKeyArn as string | undefined);
  return {};
};

/** Moves the instance to UPDATING and schedules the outcome, decided when the delay has passed. */
export function beginEncryptionUpdate(state: LocalAwsState, settings: HandlerSettings, instance: InstanceRecord, keyType: EncryptionKeyType, kmsKeyArn?: string): void {
  const previous = { keyType: instance.encryption.keyType, kmsKeyArn: instance.encryption.kmsKeyArn };
  instance.encryption = { keyType, kmsKeyArn, status: 'UPDATING' };
  const settle = (): void => {
    instance.pendingUpdate = undefined;
    const reason = keyType === 'CUSTOMER_MANAGED_KEY' ? keyRejectionReason(state, instance, kmsKeyArn!) : undefined;
    instance.encryption = reason === undefined ? { keyType, kmsKeyArn, status: 'ENABLED' } : { ...previous, status: 'UPDATE_FAILED', reason };
  };
  if (settings.instanceUpdateDelayMs <= 0) {
    settle();
    return;
  }
  instance.pendingUpdate = setTimeout(settle, settings.instanceUpdateDelayMs);
  instance.pendingUpdate.unref();
}

export const SSO_OPERATIONS: Readonly<Record<string, Handler>> = { ListInstances, DescribeInstance, UpdateInstance };
