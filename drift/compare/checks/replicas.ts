/**
 * Replica keys (multi-Region Identity Center): each exists, is usable, and keeps its policy and tags;
 * and the primary has no replica that state does not declare.
 */
import type { IdentityCenterContext } from '../../../policy/identity-center';
import type { ExpectedKey, ExpectedReplica, Finding, LiveKeyMetadata, LiveReplica, PolicyDiff } from '../../model';
import { merge, found, unknown, type CheckOutcome, type FindingFactory } from '../outcome';
import { checkPolicy } from './policy';
import { checkTags } from './tags';

export interface ReplicaOutcome extends CheckOutcome {
  readonly diffs: readonly PolicyDiff[];
}

export function checkReplica(
  expected: ExpectedReplica,
  live: LiveReplica | undefined,
  f: FindingFactory,
  identityCenter?: IdentityCenterContext,
): ReplicaOutcome {
  if (!live) {
    return { ...unknown({ code: 'INTERNAL', operation: 'kms:DescribeKey', message: `replica ${expected.arn} was not read` }), diffs: [] };
  }
  if (!live.metadata.ok) return { ...unknown(live.metadata.error), diffs: [] };
  const meta = live.metadata.value;
  const address = expected.address;
  const where = `in ${expected.region}`;
  if (meta === null) {
    return { ...found(f.make('REPLICA_MISSING', { address, attribute: 'key_state', expected: 'Enabled', actual: 'NotFound', detail: `${expected.arn}` })), diffs: [] };
  }
  const state: Finding[] = [];
  if (meta.keyState === 'PendingDeletion') {
    state.push(
      f.make('REPLICA_PENDING_DELETION', {
        address,
        attribute: 'key_state',
        expected: 'Enabled',
        actual: meta.deletionDate ? `PendingDeletion (deletion on ${meta.deletionDate})` : 'PendingDeletion',
        detail: `${where}, ${meta.deletionDate ? `deletion on ${meta.deletionDate}` : 'deletion date not reported'}`,
      }),
    );
  } else if (meta.keyState === 'Disabled' && expected.enabled) {
    state.push(f.make('REPLICA_DISABLED', { address, attribute: 'key_state', expected: 'Enabled', actual: 'Disabled', detail: where }));
  }
  if (expected.description !== undefined && meta.description !== expected.description) {
    state.push(f.make('REPLICA_DESCRIPTION_CHANGED', { address, attribute: 'description', expected: expected.description, actual: meta.description, detail: where }));
  }
  const policy = expected.policy !== undefined
    ? checkPolicy({ address, expected: expected.policy, live: live.policy, scope: 'replica', where, ...(identityCenter ? { identityCenter } : {}) }, f)
    : undefined;
  const tags = checkTags({ address, tags: expected.tags, ...(expected.tagsAll ? { tagsAll: expected.tagsAll } : {}), live: live.tags, scope: 'replica' }, f);
  const all = merge(found(...state), policy ?? found(), tags);
  return { ...all, diffs: policy?.diff ? [policy.diff] : [] };
}

/**
 * Replicas made outside the stack (`ReplicateKey` to another Region): each is a copy of the key material
 * under its own key policy, in a Region where nothing else is declared or watched.
 */
export function checkUnmanagedReplicas(key: ExpectedKey, expected: readonly ExpectedReplica[], live: LiveKeyMetadata, f: FindingFactory): CheckOutcome {
  const declared = new Set(expected.map((r) => r.region));
  const extra = (live.replicaRegions ?? []).filter((region) => !declared.has(region));
  return found(
    ...extra.map((region) =>
      f.make('REPLICA_UNMANAGED', {
        address: key.address,
        attribute: 'replicas',
        expected: [...declared].sort().join(', ') || '(none)',
        actual: region,
        detail: `a replica in ${region} that state does not declare`,
      }),
    ),
  );
}
