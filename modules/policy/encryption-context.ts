/**
 * Encryption-context pins: what ties the key to this instance and its identity store.
 * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/advanced-kms-policy.html
 */
import type { AwsPartition, PendingInstanceMode } from '../identity-center-key-props';
import { identityStoreArn } from '../private/partitions';
import type { ConditionClause } from './conditions';

export const SSO_CONTEXT_KEY = 'kms:EncryptionContext:aws:sso:instance-arn';
export const IDENTITYSTORE_CONTEXT_KEY = 'kms:EncryptionContext:aws:identitystore:identitystore-arn';

/** The temporary ARN suffix AWS documents for enabling an instance with a key. */
export const KEY_CONFIGURATION_PURPOSE = 'purpose:KEY_CONFIGURATION';

export interface PinInput {
  readonly partition: AwsPartition;
  readonly account: string;
  readonly instanceArn?: string;
  readonly identityStoreId?: string;
  readonly pendingInstance: PendingInstanceMode;
}

/** The `kms:EncryptionContext:aws:sso:instance-arn` condition for this instance. */
export function instancePin(input: PinInput): ConditionClause {
  if (input.instanceArn !== undefined) return { operator: 'StringEquals', key: SSO_CONTEXT_KEY, value: input.instanceArn };
  const base = `arn:${input.partition}:sso:::instance/`;
  return pendingPin(SSO_CONTEXT_KEY, base, input.pendingInstance);
}

/** The `kms:EncryptionContext:aws:identitystore:identitystore-arn` condition for this instance's store. */
export function identityStorePin(input: PinInput): ConditionClause {
  if (input.identityStoreId !== undefined) {
    return { operator: 'StringEquals', key: IDENTITYSTORE_CONTEXT_KEY, value: identityStoreArn(input.partition, input.account, input.identityStoreId) };
  }
  const base = `arn:${input.partition}:identitystore::${input.account}:identitystore/`;
  return pendingPin(IDENTITYSTORE_CONTEXT_KEY, base, input.pendingInstance);
}

function pendingPin(key: string, arnBase: string, mode: PendingInstanceMode): ConditionClause {
  switch (mode) {
    case 'wildcard':
      return { operator: 'StringLike', key, value: `${arnBase}*` };
    case 'key-configuration':
      return { operator: 'StringEquals', key, value: `${arnBase}${KEY_CONFIGURATION_PURPOSE}` };
    case 'omit':
      // No value condition, but the context key must be present (StringLike fails on a missing key).
      return { operator: 'StringLike', key, value: '*' };
  }
}
