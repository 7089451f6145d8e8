/**
 * Stage 3, COMPARE: ExpectedTarget (state) x LiveTarget (AWS) -> TargetResult. Pure: no SDK, no fs.
 * One small check per concern (checks/), each returning findings or the reads it could not use; then
 * the ignore rules; then the status: unknown when any needed read failed (findings found elsewhere are
 * still listed), drifted when findings remain, else in_sync.
 */
import type { IdentityCenterContext } from '../../policy/identity-center';
import { compareFindings } from '../findings';
import { globMatch, matchIgnoreRule } from '../ignore';
import type { ExpectedTarget, Finding, LiveTarget, PolicyDiff, ReadFailure, TargetResult, TargetStatus } from '../model';
import { checkAliases } from './checks/aliases';
import { checkInstance } from './checks/instance';
import { checkKeyProperties } from './checks/key-properties';
import { checkKeyState } from './checks/key-state';
import { checkPolicy } from './checks/policy';
import { checkReplica, checkUnmanagedReplicas } from './checks/replicas';
import { checkRotation } from './checks/rotation';
import { checkTags } from './checks/tags';
import type { CompareOptions } from './options';
import { FindingFactory, type CheckOutcome } from './outcome';

export type { CompareOptions } from './options';
export type { CheckOutcome } from './outcome';

export function compareTarget(expected: ExpectedTarget, live: LiveTarget, options: CompareOptions = {}): TargetResult {
  const f = new FindingFactory(expected.target);
  const ctx = identityCenterContext(expected, options);
  const outcomes: CheckOutcome[] = [];
  const diffs: PolicyDiff[] = [];

  const state = checkKeyState(expected.key, live.key.metadata, f);
  outcomes.push(state);
  const keyGone = live.key.metadata.ok && live.key.metadata.value === null;
  // A key that is gone has no policy, rotation or tags to read: those reads failing is not "unknown".
  if (!keyGone) {
    if (live.key.metadata.ok && live.key.metadata.value) {
      outcomes.push(checkKeyProperties(expected.key, live.key.metadata.value, f));
      outcomes.push(checkUnmanagedReplicas(expected.key, expected.replicas, live.key.metadata.value, f));
    }
    outcomes.push(checkRotation(expected.key, live.key.rotation, f));
    if (expected.key.policy !== undefined) {
      const policy = checkPolicy(
        { address: expected.key.policyAddress ?? expected.key.address, expected: expected.key.policy, live: live.key.policy, scope: 'key', ...(ctx ? { identityCenter: ctx } : {}) },
        f,
      );
      outcomes.push(policy);
      if (policy.diff) diffs.push(policy.diff);
    }
    outcomes.push(
      checkTags({ address: expected.key.address, tags: expected.key.tags, ...(expected.key.tagsAll ? { tagsAll: expected.key.tagsAll } : {}), live: live.key.tags, scope: 'key' }, f),
    );
  }
  // Aliases are checked even when the key is gone: one may now point at another key (ALIAS_MOVED).
  outcomes.push(checkAliases(expected, live.key, f));
  for (const replica of expected.replicas) {
    const r = checkReplica(replica, live.replicas.find((l) => l.region === replica.region), f, ctx);
    outcomes.push(r);
    diffs.push(...r.diffs);
  }
  if (expected.encryption) outcomes.push(checkInstance(expected.encryption, live.instance, f));

  const all = outcomes.flatMap((o) => o.findings);
  const errors = dedupeFailures(outcomes.flatMap((o) => o.unknown));
  const kept: Finding[] = [];
  let ignored = 0;
  for (const finding of all) {
    if (isIgnored(finding, options)) ignored++;
    else kept.push(finding);
  }
  kept.sort(compareFindings);
  const status: TargetStatus = errors.length > 0 ? 'unknown' : kept.length > 0 ? 'drifted' : 'in_sync';
  const keptDiffs = diffs.filter((d) => kept.some((k) => k.address === d.address && k.attribute.startsWith('policy')));
  const keyDiff = keptDiffs.find((d) => d.address === (expected.key.policyAddress ?? expected.key.address));
  return {
    target: expected.target,
    account: expected.account,
    region: expected.region,
    stateSource: expected.stateSource,
    status,
    findings: kept,
    errors,
    ignored,
    ...(keyDiff ? { policyDiff: keyDiff } : {}),
    ...(keptDiffs.length > 0 ? { policyDiffs: keptDiffs } : {}),
  };
}

/** A result for a target that could not be checked at all (unreadable state, no credentials, timeout). */
export function uncheckedTarget(target: string, failure: ReadFailure, extra: { account?: string; region?: string; stateSource?: string } = {}): TargetResult {
  return { target, ...extra, status: 'unknown', findings: [], errors: [failure], ignored: 0 };
}

function isIgnored(finding: Finding, options: CompareOptions): boolean {
  if (options.ignore && matchIgnoreRule(options.ignore, finding)) return true;
  const tagKeys = options.ignoreTagKeys ?? [];
  if (tagKeys.length > 0 && finding.attribute.startsWith('tags.')) {
    const key = finding.attribute.slice('tags.'.length);
    return tagKeys.some((g) => globMatch(g, key));
  }
  return false;
}

function identityCenterContext(expected: ExpectedTarget, options: CompareOptions): IdentityCenterContext | undefined {
  const instanceArn = expected.instanceArn ?? expected.encryption?.instanceArn;
  if (!instanceArn) return undefined;
  const partition = expected.partition ?? (expected.key.arn.split(':')[1] || 'aws');
  const identityStoreArn =
    expected.identityStoreArn ??
    (expected.identityStoreId ? `arn:${partition}:identitystore::${expected.account}:identitystore/${expected.identityStoreId}` : undefined);
  return {
    account: expected.account,
    partition,
    region: expected.region,
    instanceArn,
    ...(identityStoreArn ? { identityStoreArn } : {}),
    ...(options.orgId ? { orgId: options.orgId } : {}),
    keyArn: expected.key.arn,
  };
}

function dedupeFailures(failures: readonly ReadFailure[]): ReadFailure[] {
  const seen = new Set<string>();
  const out: ReadFailure[] = [];
  for (const f of failures) {
    const k = `${f.code}\u0000${f.operation}\u0000${f.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f);
  }
  return out.sort((a, b) => (a.operation < b.operation ? -1 : a.operation > b.operation ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}
