/**
 * The one mapping from a target's `encryption` settings to the instance-encryption switch's props.
 */
import type { InstanceEncryptionProps } from '../modules/instance-encryption';
import type { IdentityCenterKey } from '../modules/identity-center-key';
import type { ResolvedTarget } from '../config/types';

export function encryptionPropsForTarget(target: ResolvedTarget, key: IdentityCenterKey): InstanceEncryptionProps {
  return {
    enabled: target.encryption.switch,
    mode: target.encryption.mode,
    instanceArn: target.instanceArn,
    region: target.region,
    keyArn: key.keyArn,
    // No --management-account: the key account owns the instance by construction, so only
    // Organizations can tell an organization instance from an account instance.
    organizationId: target.organizationId,
    // The switch runs only once the key (with its inline policy) and its aliases exist.
    dependsOn: [key.key, ...key.aliases],
    roleArn: target.assumeRole?.roleArn,
    externalId: target.assumeRole?.externalId,
    revertOnDestroy: target.encryption.revertOnDestroy,
    timeoutSeconds: target.encryption.timeoutSeconds,
  };
}
