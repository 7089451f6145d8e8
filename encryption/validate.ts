/**
 * Validation of the switch's options, all problems at once, before any AWS call.
 */
import { describeProblem, inputError } from '../core/errors';
import { externalIdProblems, instanceArnProblems, keyArnProblems, parseInstanceArn, parseKeyArn, regionProblems, roleArnProblems } from './arns';
import { isPartition, partitionOfRegion } from '../modules/private/partitions';
import {
  MAX_POLL_INTERVAL_MS,
  MAX_TIMEOUT_SECONDS,
  MIN_POLL_INTERVAL_MS,
  MIN_TIMEOUT_SECONDS,
  POLL_INTERVAL_ALLOWED,
  TIMEOUT_ALLOWED,
  type ApplyEncryptionOptions,
  type InstanceTarget,
  type RevertEncryptionOptions,
  type WaitOptions,
} from './types';

export const ORG_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;
export const ORG_ID_ALLOWED = 'an AWS Organizations ID, o- followed by 10 to 32 lowercase letters or digits';

/** How option fields are named in problems: by default their API names; the CLI passes its flags. */
export type FieldLabels = Readonly<Partial<Record<
  'instanceArn' | 'region' | 'roleArn' | 'externalId' | 'kmsKeyArn' | 'timeoutSeconds' | 'pollIntervalMs' | 'orgId' | 'managementAccountId' | 'onlyIfKeyArn',
  string
>>>;

const label = (labels: FieldLabels, field: keyof FieldLabels): string => labels[field] ?? field;

export function targetProblems(o: Partial<InstanceTarget>, labels: FieldLabels = {}): string[] {
  return [
    ...instanceArnProblems(label(labels, 'instanceArn'), o.instanceArn),
    ...regionProblems(label(labels, 'region'), o.region),
    ...roleArnProblems(label(labels, 'roleArn'), o.roleArn),
    ...externalIdProblems(label(labels, 'externalId'), o.externalId),
    ...regionPartitionProblems(o, labels),
    ...(o.externalId !== undefined && o.roleArn === undefined ? [describeProblem(label(labels, 'externalId'), o.externalId, 'only with a role to assume (the external ID is for its trust policy)')] : []),
  ];
}

export function waitProblems(o: Partial<WaitOptions>, labels: FieldLabels = {}): string[] {
  const problems: string[] = [];
  if (!isIntIn(o.timeoutSeconds, MIN_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS)) problems.push(describeProblem(label(labels, 'timeoutSeconds'), o.timeoutSeconds, TIMEOUT_ALLOWED));
  if (!isIntIn(o.pollIntervalMs, MIN_POLL_INTERVAL_MS, MAX_POLL_INTERVAL_MS)) problems.push(describeProblem(label(labels, 'pollIntervalMs'), o.pollIntervalMs, POLL_INTERVAL_ALLOWED));
  return problems;
}

/** Every problem of apply's options. */
export function applyOptionProblems(o: ApplyEncryptionOptions, labels: FieldLabels = {}): string[] {
  const problems = [...targetProblems(o, labels), ...keyArnProblems(label(labels, 'kmsKeyArn'), o.kmsKeyArn), ...waitProblems(o, labels)];
  // One partition for the instance, its Region and the key: a key ARN of another partition names another key.
  const instancePartition = typeof o.instanceArn === 'string' ? parseInstanceArn(o.instanceArn)?.partition : undefined;
  const key = typeof o.kmsKeyArn === 'string' ? parseKeyArn(o.kmsKeyArn) : undefined;
  if (key && instancePartition !== undefined && key.partition !== instancePartition) {
    problems.push(describeProblem(label(labels, 'kmsKeyArn'), o.kmsKeyArn, `a key ARN in the instance's partition ${instancePartition}`));
  }
  if (o.orgId !== undefined && !ORG_ID_PATTERN.test(o.orgId)) problems.push(describeProblem(label(labels, 'orgId'), o.orgId, ORG_ID_ALLOWED));
  if (o.managementAccountId !== undefined && !/^\d{12}$/.test(o.managementAccountId)) {
    problems.push(describeProblem(label(labels, 'managementAccountId'), o.managementAccountId, 'a 12-digit AWS account ID'));
  }
  return problems;
}

/** Every problem of revert's options. */
export function revertOptionProblems(o: RevertEncryptionOptions, labels: FieldLabels = {}): string[] {
  const problems = [...targetProblems(o, labels), ...waitProblems(o, labels)];
  if (o.onlyIfKeyArn !== undefined) problems.push(...keyArnProblems(label(labels, 'onlyIfKeyArn'), o.onlyIfKeyArn));
  return problems;
}

export function assertApplyOptions(o: ApplyEncryptionOptions): void {
  const problems = applyOptionProblems(o);
  if (problems.length > 0) throw inputError('invalid encryption apply options; nothing was changed', problems);
}

export function assertRevertOptions(o: RevertEncryptionOptions): void {
  const problems = revertOptionProblems(o);
  if (problems.length > 0) throw inputError('invalid encryption revert options; nothing was changed', problems);
}

export function assertTarget(o: InstanceTarget, labels: FieldLabels = {}): void {
  const problems = targetProblems(o, labels);
  if (problems.length > 0) throw inputError('invalid instance target', problems);
}

/** The Region must be one of the instance ARN's partition (cn-north-1 with an aws instance is a typo somewhere). */
function regionPartitionProblems(o: Partial<InstanceTarget>, labels: FieldLabels): string[] {
  if (typeof o.instanceArn !== 'string' || typeof o.region !== 'string') return [];
  const instancePartition = parseInstanceArn(o.instanceArn)?.partition;
  // Only the partitions whose Regions partitionOfRegion knows (not the isolated ones).
  if (instancePartition === undefined || !isPartition(instancePartition) || partitionOfRegion(o.region) === instancePartition) return [];
  return [describeProblem(label(labels, 'region'), o.region, `a Region of the instance's partition ${instancePartition}`)];
}

function isIntIn(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
