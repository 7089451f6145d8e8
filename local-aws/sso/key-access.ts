/**
 * What Identity Center checks when UpdateInstance points it at a customer managed key. Each failure
 * becomes the instance's UPDATE_FAILED reason, prefixed with the Reason value AWS's SSO Admin model
 * uses (`KMS_AccessDeniedException`, `KMS_NotFoundException`, `KMS_DisabledException`, ...).
 */
import { evaluateKeyPolicy, type EvalRequest } from './policy-eval';
import { identityStoreArn, type InstanceRecord, type KeyRecord, type LocalAwsState } from '../state';

/** The service principals that must be able to use the key. */
export const IDENTITY_CENTER_SERVICES = ['sso.amazonaws.com', 'identitystore.amazonaws.com'] as const;
/** Actions they perform with an encryption context naming the instance / identity store. */
export const IDENTITY_CENTER_DATA_ACTIONS = ['kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKeyWithoutPlaintext'] as const;
/** Actions they perform without an encryption context. */
export const IDENTITY_CENTER_METADATA_ACTIONS = ['kms:DescribeKey'] as const;

export interface KeyAccessContext {
  readonly accountId: string;
  readonly orgId?: string;
  readonly instanceArn: string;
  readonly identityStoreArn: string;
  readonly keyArn: string;
}

/**
 * The one seam between the emulator and the key-policy evaluator: returns the service/action pairs
 * the policy does not allow (empty when Identity Center can use the key).
 */
export function identityCenterPolicyGaps(policyText: string, ctx: KeyAccessContext): string[] {
  const doc = JSON.parse(policyText) as Parameters<typeof evaluateKeyPolicy>[0];
  const missing: string[] = [];
  for (const service of IDENTITY_CENTER_SERVICES) {
    const encryptionContext: Record<string, string> =
      service === 'sso.amazonaws.com'
        ? { 'aws:sso:instance-arn': ctx.instanceArn, 'tenant-key-id': ctx.instanceArn.split('/').pop() ?? '' }
        : { 'aws:identitystore:identitystore-arn': ctx.identityStoreArn, 'tenant-key-id': ctx.identityStoreArn.split('/').pop() ?? '' };
    const base: Record<string, string | readonly string[]> = {
      'aws:SourceAccount': ctx.accountId,
      'aws:ResourceAccount': ctx.accountId,
      'aws:PrincipalIsAWSService': 'true',
      'aws:PrincipalServiceName': service,
      'kms:CallerAccount': ctx.accountId,
      ...(ctx.orgId ? { 'aws:ResourceOrgID': ctx.orgId, 'aws:SourceOrgID': ctx.orgId } : {}),
    };
    const withContext: Record<string, string | readonly string[]> = {
      ...base,
      'kms:EncryptionContextKeys': Object.keys(encryptionContext),
      ...Object.fromEntries(Object.entries(encryptionContext).map(([k, v]) => [`kms:EncryptionContext:${k}`, v])),
    };
    const check = (action: string, context: EvalRequest['context']): void => {
      const decision = evaluateKeyPolicy(doc, { principal: { type: 'Service', id: service }, action, resource: ctx.keyArn, context });
      if (decision !== 'allow') missing.push(`${service} ${action} (${decision})`);
    };
    for (const action of IDENTITY_CENTER_DATA_ACTIONS) check(action, withContext);
    for (const action of IDENTITY_CENTER_METADATA_ACTIONS) check(action, base);
  }
  return missing;
}

/** Why Identity Center cannot use `key` for `instance`, or undefined when it can. */
export function keyRejectionReason(state: LocalAwsState, instance: InstanceRecord, keyArnText: string): string | undefined {
  if (!instance.organization) {
    return 'KMS_InvalidKeyUsageException: customer managed KMS keys are supported only for organization instances, not account instances.';
  }
  const m = /^arn:[a-z-]+:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/.exec(keyArnText);
  if (!m) return `KMS_NotFoundException: ${keyArnText} is not a KMS key ARN.`;
  const [, region, accountId, keyId] = m;
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
    orgId: state.accounts.get(instance.ownerAccountId)?.orgId,
    instanceArn: instance.instanceArn,
    identityStoreArn: identityStoreArn(instance.ownerAccountId, instance.identityStoreId),
    keyArn: key.arn,
  });
  if (gaps.length > 0) return `KMS_AccessDeniedException: the key policy does not allow ${gaps.join('; ')}.`;
  return undefined;
}
