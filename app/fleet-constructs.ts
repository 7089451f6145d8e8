/**
 * The fleet-side constructs of a target stack (issue 6): tamper alarms on the key (and each replica),
 * and the IAM policy delegated administrators need, created in their own accounts through a provider
 * alias pinned to that account.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { DelegatedAdminAccess } from '../modules/delegated-admin-access';
import type { IdentityCenterKey } from '../modules/identity-center-key';
import { KeyTamperAlarms } from '../modules/tamper-alarms';
import type { ResolvedTarget } from '../config/types';
import { describeProblem, inputError, isIdcCmkError } from '../core/errors';
import { delegatedAdminAccessField, inRolloutTerms, tamperAlarmsField } from './rollout-terms';

/** Construct ID of the tamper alarms (part of the Terraform addresses: do not change). */
export const TAMPER_ALARMS_CONSTRUCT_ID = 'tamper-alarms';

export function declareTamperAlarms(scope: Construct, target: ResolvedTarget, key: IdentityCenterKey): KeyTamperAlarms | undefined {
  const settings = target.tamperAlarms;
  if (!settings.enabled) return undefined;
  const unknownRegions = Object.keys(settings.replicaTopics).filter((r) => !key.replicas.some((rep) => rep.region === r));
  const regionProblems = unknownRegions.map((r) => describeProblem(`tamperAlarms.replicaTopics.${r}`, settings.replicaTopics[r], `settings only for a replica Region of this target (${key.replicas.map((rep) => rep.region).join(', ') || 'none'})`));
  const replicaRegions = key.replicas.map((r) => r.region);
  let alarms: KeyTamperAlarms;
  try {
    alarms = inRolloutTerms(build, (field) => tamperAlarmsField(field, replicaRegions));
  } catch (e) {
    // The construct's own problems and these, all at once.
    if (regionProblems.length > 0 && isIdcCmkError(e) && e.code === 'INPUT_INVALID') throw inputError(e.message, [...regionProblems, ...e.details]);
    throw e;
  }
  if (regionProblems.length > 0) throw inputError('tamper alarms', regionProblems);
  return alarms;

  function build(): KeyTamperAlarms {
    return new KeyTamperAlarms(scope, TAMPER_ALARMS_CONSTRUCT_ID, {
      keyArn: key.keyArn,
      keyId: key.keyId,
      aliasNames: key.aliasNames,
      instanceArn: target.instanceArn,
      region: target.region,
      account: target.account,
      partition: target.partition,
      replicas: key.replicas.map((r) => ({
        region: r.region,
        keyArn: r.key.arn,
        existingTopicArn: settings.replicaTopics[r.region]?.existingTopicArn,
        topicKmsMasterKeyArn: settings.replicaTopics[r.region]?.topicKmsKeyArn,
      })),
      ...(settings.existingTopicArn ? { existingTopicArn: settings.existingTopicArn } : {}),
      // Subscriptions with an existing topic reach the construct, which refuses them (it never subscribes to a topic it does not own).
      ...(!settings.existingTopicArn || settings.subscriptions.length > 0 ? { topic: { kmsMasterKeyArn: settings.topicKmsKeyArn, subscriptions: settings.subscriptions } } : {}),
      tags: target.key.tags,
    });
  }
}

/** One provider alias and one policy per delegated-admin account. */
export function declareDelegatedAdminAccess(scope: Construct, target: ResolvedTarget, key: IdentityCenterKey): DelegatedAdminAccess[] {
  const settings = target.delegatedAdminAccess;
  if (!settings.enabled) return [];
  return target.key.delegatedAdminAccounts.map((account) => {
    const provider = new AwsProvider(scope, `aws-delegated-admin-${account}`, {
      alias: `delegated_admin_${account}`,
      region: target.region,
      allowedAccountIds: [account],
      assumeRole: [{ roleArn: settings.deployRoleArns[account], sessionName: `idc-cmk-${target.name}`.slice(0, 64) }],
    });
    const build = (): DelegatedAdminAccess => new DelegatedAdminAccess(scope, `delegated-admin-access-${account}`, {
      provider,
      delegatedAdminAccount: account,
      managementAccount: target.account,
      key: key.keyId,
      instanceArn: target.instanceArn,
      identityStoreId: target.identityStoreId,
      partition: target.partition,
      roleNames: settings.roleNames,
      tags: target.key.tags,
    });
    return inRolloutTerms(build, delegatedAdminAccessField);
  });
}
