/**
 * What Identity Center checks when UpdateInstance points it at a customer managed key. Each failure
 * becomes the instance's UPDATE_FAILED reason, prefixed with the Reason value AWS's SSO Admin model
 * uses (`KMS_AccessDeniedException`, `KMS_NotFoundException`, `KMS_DisabledException`, ...).
 */
import { checkIdentityCenterAccess } from '../../policy/identity-center';
import { parsePolicy } from '../../policy/parse';
import { PARTITION, identityStoreArn, type InstanceRecord, type KeyRecord, type LocalAwsState } from '../state';

export interface KeyAccessContext {
  readonly accountId: string;
  readonly orgId?: string;
  readonly region: string;
  readonly instanceArn: string;
  readonly identityStoreArn: string;
  readonly keyArn: string;
}

/**
 * The one seam between the emulator and the project's key-policy evaluator (policy/identity-center.ts):
 * returns the service/action pairs the policy does not allow (empty when Identity Center can use the key).
 */
export function identityCenterPolicyGaps(policyText: string, ctx: KeyAccessContext): string[] {
  let doc;
  try {
    doc = parsePolicy(JSON.parse(policyText), 'key policy');
  } catch (e) {
    return [`a readable policy (${e instanceof Error ? e.message : String(e)})`];
  }
  const access = checkIdentityCenterAccess(doc, {
    now: new Date(),
    account: ctx.accountId, orgId: ctx.orgId, region: ctx.region, instanceArn: ctx.instanceArn, identityStoreArn: ctx.identityStoreArn, keyArn: ctx.keyArn,
  });
  return access.missing.map((probe) => probe.name);
}

/** Why Identity Center cannot use `key` for `instance`, or undefined when it can. */
export function keyRejectionReason(state: LocalAwsState, instance: InstanceRecord, keyArnText: string): string | undefined {
  if (!instance.organization) {
    return 'KMS_InvalidKeyUsageException: customer managed KMS keys are supported only for organization instances, not account instances.';
  }
  const m = /^arn:([a-z-]+):kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/.exec(keyArnText);
  if (!m) return `KMS_NotFoundException: ${keyArnText} is not a KMS key ARN.`;
  const [, partition, region, accountId, keyId] = m;
  if (partition !== PARTITION) return `KMS_NotFoundException: ${keyArnText} is not a key in partition ${PARTITION}.`;
  if (accountId !== instance.ownerAccountId) {
    return `KMS_AccessDeniedException: the key is in account ${accountId}; it must be in the instance's account ${instance.ownerAccountId}.`;
  }
  if (region !== instance.region) {
    return `KMS_NotFoundException: the key is in ${region}; it must be in the instance's Region ${instance.region}.`;
  }
  const key: KeyRecord | undefined = state.getKey(accountId, region, keyId);
  if (!key) return `KMS_NotFoundException: key ${keyArnText} does not exist.`;
  if (key.keyState === 'Disabled') return `KMS_DisabledException: key ${key.arn} is disabled.`;
  if (key.keyState !== 'Enabled') return `KMS_InvalidStateException: key ${key.arn} is ${key.keyState}.`;
  if (key.keySpec !== 'SYMMETRIC_DEFAULT' || key.keyUsage !== 'ENCRYPT_DECRYPT') {
    return `KMS_InvalidKeyUsageException: key ${key.arn} is ${key.keySpec}/${key.keyUsage}; it must be SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT.`;
  }
  const gaps = identityCenterPolicyGaps(key.policy.raw, {
    accountId: instance.ownerAccountId,
    region: instance.region,
    orgId: state.accounts.get(instance.ownerAccountId)?.orgId,
    instanceArn: instance.instanceArn,
    identityStoreArn: identityStoreArn(instance.ownerAccountId, instance.identityStoreId),
    keyArn: key.arn,
  });
  if (gaps.length > 0) return `KMS_AccessDeniedException: the key policy does not allow ${gaps.join('; ')}.`;
  return undefined;
}
