/**
 * IAM policy documents that principals in OTHER accounts need in their own identity-based policies
 * (KMS requires both the key policy and an IAM policy for cross-account use).
 * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/baseline-KMS-key-policy.html
 */
import { POLICY_VERSION, type PolicyDocument } from '../policy/types';
import type { IdentityCenterKeyProps } from './identity-center-key-props';
import { resolveKeyProps } from './private/defaults';
import { DECRYPT_ONLY_ACTIONS, DELEGATED_ADMIN_IAM_ACTIONS, LIST_ALIASES_ACTION } from './private/kms-actions';
import { viaServicePattern } from './private/partitions';
import { conditionBlock, oneOrMany } from './policy/conditions';
import { identityStorePin, instancePin } from './policy/encryption-context';
import { CROSS_ACCOUNT_SIDS as SID } from './policy/sids';

export interface CrossAccountPolicies {
  /** For delegated administrators: use the key (primary and replicas) and list aliases. */
  readonly delegatedAdministrator: PolicyDocument;
  /** For managed-application administrators: decrypt through Identity Center / Identity Store, pinned to this instance. */
  readonly applicationAdministrators: PolicyDocument;
}

/**
 * The key ARN in every Region (`arn:<partition>:kms:*:<account>:key/<id>`): a multi-Region key and its
 * replicas share the key ID, so one ARN pattern covers all of them.
 */
export function keyArnAllRegions(props: Pick<IdentityCenterKeyProps, 'partition' | 'account'>, keyId: string): string {
  return `arn:${props.partition ?? 'aws'}:kms:*:${props.account}:key/${keyId}`;
}

/** Builds both documents for a key ID (a literal, or a cdktf token string). */
export function buildCrossAccountPolicies(props: IdentityCenterKeyProps, keyId: string): CrossAccountPolicies {
  const r = resolveKeyProps(props);
  const keyArn = keyArnAllRegions(r, keyId);
  return {
    delegatedAdministrator: {
      Version: POLICY_VERSION,
      Statement: [
        { Sid: SID.delegatedAdminUseKey, Effect: 'Allow', Action: DELEGATED_ADMIN_IAM_ACTIONS, Resource: keyArn },
        { Sid: SID.delegatedAdminListAliases, Effect: 'Allow', Action: LIST_ALIASES_ACTION, Resource: '*' },
      ],
    },
    applicationAdministrators: {
      Version: POLICY_VERSION,
      Statement: [
        {
          Sid: SID.applicationAdminsViaIdentityCenter,
          Effect: 'Allow',
          Action: oneOrMany(DECRYPT_ONLY_ACTIONS),
          Resource: keyArn,
          Condition: conditionBlock({ operator: 'StringLike', key: 'kms:ViaService', value: viaServicePattern('sso', r.partition) }, instancePin(r)),
        },
        {
          Sid: SID.applicationAdminsViaIdentityStore,
          Effect: 'Allow',
          Action: oneOrMany(DECRYPT_ONLY_ACTIONS),
          Resource: keyArn,
          Condition: conditionBlock({ operator: 'StringLike', key: 'kms:ViaService', value: viaServicePattern('identitystore', r.partition) }, identityStorePin(r)),
        },
      ],
    },
  };
}
