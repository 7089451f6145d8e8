import type { AwsPartition, IdentityCenterKeyProps, PendingInstanceMode } from '../identity-center-key-props';
import { ALIAS_PREFIX, DEFAULT_ALIAS, DELETION_WINDOW_DEFAULT_DAYS, ROTATION_PERIOD_DEFAULT_DAYS } from './limits';
import { accountRootArn } from './partitions';

export const DEFAULT_PARTITION: AwsPartition = 'aws';
export const DEFAULT_PENDING_INSTANCE: PendingInstanceMode = 'wildcard';

/** `alias/` added when missing. */
export function normalizeAlias(name: string): string {
  return name.startsWith(ALIAS_PREFIX) ? name : `${ALIAS_PREFIX}${name}`;
}

/** Props with every default applied (see the `@default` tags on {@link IdentityCenterKeyProps}). */
export interface ResolvedKeyProps {
  readonly account: string;
  readonly region: string;
  readonly partition: AwsPartition;
  readonly instanceArn?: string;
  readonly identityStoreId?: string;
  readonly pendingInstance: PendingInstanceMode;
  readonly organizationId?: string;
  readonly description: string;
  readonly multiRegion: boolean;
  readonly replicaRegions: readonly string[];
  readonly rotation: boolean;
  readonly rotationPeriodInDays: number;
  readonly deletionWindowInDays: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly preventDestroy: boolean;
  readonly aliases: readonly string[];
  readonly administrators: readonly string[];
  readonly delegatedAdminAccounts: readonly string[];
  readonly identityCenterAdministrators: readonly string[];
}

export function resolveKeyProps(props: IdentityCenterKeyProps): ResolvedKeyProps {
  const partition = props.partition ?? DEFAULT_PARTITION;
  const delegatedAdminAccounts = props.delegatedAdminAccounts ?? [];
  return {
    account: props.account,
    region: props.region,
    partition,
    instanceArn: props.instanceArn,
    identityStoreId: props.identityStoreId,
    pendingInstance: props.pendingInstance ?? DEFAULT_PENDING_INSTANCE,
    organizationId: props.organizationId,
    description: props.description ?? defaultDescription(props),
    multiRegion: props.multiRegion ?? true,
    replicaRegions: props.replicaRegions ?? [],
    rotation: props.rotation ?? true,
    rotationPeriodInDays: props.rotationPeriodInDays ?? ROTATION_PERIOD_DEFAULT_DAYS,
    deletionWindowInDays: props.deletionWindowInDays ?? DELETION_WINDOW_DEFAULT_DAYS,
    tags: props.tags ?? {},
    preventDestroy: props.preventDestroy ?? true,
    aliases: [...new Set((props.aliases ?? [DEFAULT_ALIAS]).map(normalizeAlias))],
    administrators: props.administrators ?? [accountRootArn(partition, props.account)],
    delegatedAdminAccounts,
    identityCenterAdministrators:
      props.identityCenterAdministrators ??
      [props.account, ...delegatedAdminAccounts].map((a) => accountRootArn(partition, a)),
  };
}

function defaultDescription(props: IdentityCenterKeyProps): string {
  const what = props.instanceArn ?? `the instance in ${props.account}/${props.region}`;
  return `IAM Identity Center customer managed key for ${what}`;
}
