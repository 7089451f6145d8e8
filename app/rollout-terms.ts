/**
 * Construct problems in the rollout file's terms: a construct names its props
 * (`replicas[0].topicKmsMasterKeyArn`), a user edits rollout-file fields
 * (`tamperAlarms.replicaTopics.eu-west-1.topicKmsKeyArn`).
 */
import { IdcCmkError, isIdcCmkError } from '../core/errors';

/**
 * Runs a construct's constructor and, if it refuses its props, names each problem by the rollout-file
 * field the prop came from (`replicas[0].topicKmsMasterKeyArn` -> `tamperAlarms.replicaTopics.eu-west-1.topicKmsKeyArn`).
 */
export function inRolloutTerms<T>(build: () => T, rename: (field: string) => string): T {
  try {
    return build();
  } catch (e) {
    if (!isIdcCmkError(e) || e.code !== 'INPUT_INVALID') throw e;
    const details = e.details.map((d) => {
      const colon = d.indexOf(': got ');
      return colon > 0 ? `${rename(d.slice(0, colon))}${d.slice(colon)}` : d;
    });
    throw new IdcCmkError('INPUT_INVALID', e.message, { details, ...(e.hint ? { hint: e.hint } : {}), cause: e });
  }
}

/** The rollout-file field behind a KeyTamperAlarms prop. */
export function tamperAlarmsField(field: string, replicaRegions: readonly string[]): string {
  const replica = /^replicas\[(\d+)\]\.(.*)$/.exec(field);
  if (replica) {
    const region = replicaRegions[Number(replica[1])] ?? `replica ${replica[1]}`;
    const rest = replica[2] === 'topicKmsMasterKeyArn' ? 'topicKmsKeyArn' : replica[2]!;
    return `tamperAlarms.replicaTopics.${region}.${rest}`;
  }
  if (field === 'topic') return 'tamperAlarms.subscriptions';
  if (field.startsWith('topic.subscriptions')) return `tamperAlarms.${field.slice('topic.'.length)}`;
  if (field === 'topic.kmsMasterKeyArn') return 'tamperAlarms.topicKmsKeyArn';
  return `tamperAlarms.${field}`;
}

/** The rollout-file field behind a DelegatedAdminAccess prop (`roleNames[1]` -> `delegatedAdminAccess.roleNames[1]`). */
export function delegatedAdminAccessField(field: string): string {
  if (field.startsWith('roleNames')) return `delegatedAdminAccess.${field}`;
  if (field === 'delegatedAdminAccount') return 'delegatedAdminAccounts';
  if (field === 'tags' || field.startsWith('tags.') || field.startsWith('tags[')) return field;
  return `delegatedAdminAccess (${field})`;
}
