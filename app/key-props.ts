/**
 * The one mapping from a resolved rollout target to the key construct's props. Settings the config
 * leaves unset stay undefined, so the construct's documented defaults apply; the one addition is the
 * deploy role among the key administrators (see {@link administratorsWithDeployRole}).
 */
import type { IdentityCenterKeyProps } from '../modules/identity-center-key-props';
import type { ResolvedTarget } from '../config/types';
import { arnMatch } from '../policy/private/wildcard';

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
    administrators: administratorsWithDeployRole(k.administrators, target.assumeRole?.roleArn),
    deployRoleArn: target.assumeRole?.roleArn,
    delegatedAdminAccounts: k.delegatedAdminAccounts,
    identityCenterAdministrators: k.identityCenterAdministrators,
    allowDelegatedAdminFullAccess: k.allowDelegatedAdminFullAccess,
    managedApplications: k.managedApplications,
    organizationPrincipals: k.organizationPrincipals,
    auditors: k.auditors,
    extraStatements: k.extraStatements,
  };
}

/**
 * The key administrators, with the deploy role added when the list is narrowed and does not cover it.
 * Terraform creates and manages the key as the deploy role (`assumeRole.roleArn`): KMS refuses a new
 * key policy that would not let the caller change it again (its lockout safety check), and every later
 * apply edits the policy, tags, aliases and rotation as that role. Unset administrators (the account
 * root, IAM decides) and an empty list (no KeyAdministration statement, by choice) stay as they are.
 */
export function administratorsWithDeployRole(administrators: readonly string[] | undefined, deployRoleArn: string | undefined): readonly string[] | undefined {
  if (administrators === undefined || administrators.length === 0 || deployRoleArn === undefined) return administrators;
  return administrators.some((pattern) => arnLike(pattern, deployRoleArn)) ? administrators : [...administrators, deployRoleArn];
}

/** IAM's ArnLike for a principal pattern; an account root covers its account's principals (as the policy narrows it). */
function arnLike(pattern: string, arn: string): boolean {
  const [, patternPartition, , , patternAccount] = pattern.split(':');
  if (pattern.endsWith(':root')) return arn.split(':')[1] === patternPartition && arn.split(':')[4] === patternAccount;
  return arnMatch(pattern, arn);
}
