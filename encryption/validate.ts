/**
 * Validation of the switch's options, all problems at once, before any AWS call.
 */
import { describeProblem, inputError } from '../core/errors';
import { instanceArnProblems, keyArnProblems, regionProblems, roleArnProblems } from './arns';
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

export function targetProblems(o: Partial<InstanceTarget>): string[] {
  return [
    ...instanceArnProblems('instanceArn', o.instanceArn),
    ...regionProblems('region', o.region),
    ...roleArnProblems('roleArn', o.roleArn),
  ];
}

export function waitProblems(o: Partial<WaitOptions>): string[] {
  const problems: string[] = [];
  if (!isIntIn(o.timeoutSeconds, MIN_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS)) problems.push(describeProblem('timeoutSeconds', o.timeoutSeconds, TIMEOUT_ALLOWED));
  if (!isIntIn(o.pollIntervalMs, MIN_POLL_INTERVAL_MS, MAX_POLL_INTERVAL_MS)) problems.push(describeProblem('pollIntervalMs', o.pollIntervalMs, POLL_INTERVAL_ALLOWED));
  return problems;
}

export function assertApplyOptions(o: ApplyEncryptionOptions): void {
  const problems = [...targetProblems(o), ...keyArnProblems('kmsKeyArn', o.kmsKeyArn), ...waitProblems(o)];
  if (o.orgId !== undefined && !ORG_ID_PATTERN.test(o.orgId)) problems.push(describeProblem('orgId', o.orgId, ORG_ID_ALLOWED));
  if (o.managementAccountId !== undefined && !/^\d{12}$/.test(o.managementAccountId)) problems.push(describeProblem('managementAccountId', o.managementAccountId, 'a 12-digit AWS account ID'));
  if (problems.length > 0) throw inputError('invalid encryption apply options; nothing was changed', problems);
}

export function assertRevertOptions(o: RevertEncryptionOptions): void {
  const problems = [...targetProblems(o), ...waitProblems(o)];
  if (o.onlyIfKeyArn !== undefined) problems.push(...keyArnProblems('onlyIfKeyArn', o.onlyIfKeyArn));
  if (problems.length > 0) throw inputError('invalid encryption revert options; nothing was changed', problems);
}

export function assertTarget(o: InstanceTarget): void {
  const problems = targetProblems(o);
  if (problems.length > 0) throw inputError('invalid instance target', problems);
}

function isIntIn(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
