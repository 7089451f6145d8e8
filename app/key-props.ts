/**
 * The one mapping from a resolved rollout target to the key construct's props. Settings the config
 * leaves unset stay undefined, so the construct's documented defaults apply.
 */
import type { IdentityCenterKeyProps } from '../modules/identity-center-key-props';
import type { ResolvedTarget } from '../config/types';

export function keyPropsForTarget(target: ResolvedTarget): IdentityCenterKeyProps {
  const k = target.key;
  return {
    account: target.account,
    region: target.region,
    partition: target.partition,
    targetName: target.name,
    instanceArn: target.instanceArn,
    identityStoreId: target.identityStoreId,
    organizationId: target.organizationId,
    description: k.description,
    multiRegion: k.multiRegion,
    replicaRegions: k.replicaRegions,
    rotation: k.rotation,
    rotationPeriodInDays: k.rotationPeriodInDays,
    deletionWindowInDays: k.deletionWindowInDays,
    tags: k.tags,
    preventDestroy: k.preventDestroy,
    aliases: k.aliases,
    administrators: k.administrators,
    delegatedAdminAccounts: k.delegatedAdminAccounts,
    identityCenterAdministrators: k.identityCenterAdministrators,
    allowDelegatedAdminFullAccess: k.allowDelegatedAdminFullAccess,
    managedApplications: k.managedApplications,
    organizationPrincipals: k.organizationPrincipals,
    auditors: k.auditors,
    extraStatements: k.extraStatements,
  };
}
