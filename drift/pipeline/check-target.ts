/**
 * One target's check: read live (bounded by the per-target time limit) -> compare. Never throws: a
 * failure becomes an `unknown` result with the reason, so one target never hides the others. Runs
 * the same in the main thread and in a worker thread (see run-checks.ts): its input and output are
 * plain data.
 */
import { setMaxListeners } from 'events';
import type { AwsClientFactory, TargetAccess } from '../../aws/clients';
import { awsErrorCode, describeAwsError } from '../../aws/errors';
import { isIdcCmkError } from '../../core/errors';
import type { ExpectedTarget, ReadFailure, TargetResult } from '../model';
import { readLiveTarget } from '../live';
import { compareTarget, type IgnoreRules } from './stages';

/** Listeners a target's abort signal may have: its reads and their retries, for a key with many replicas. */
const ABORT_LISTENERS = 200;

/** A target ready to check: its expected state and the access its reads use. */
export interface CheckJob {
  readonly expected: ExpectedTarget;
  readonly access: TargetAccess;
  /** The organization the key's `*` statements may be scoped to (from the rollout file). */
  readonly orgId?: string;
}

/** What every check of one run shares. */
export interface CheckSettings {
  readonly ignore: IgnoreRules;
  /** Per-target time limit. */
  readonly timeoutMs: number;
}

export async function checkTarget(job: CheckJob, factory: AwsClientFactory, settings: CheckSettings): Promise<TargetResult> {
  const { expected, access } = job;
  const controller = new AbortController();
  // Every read of the target (replicas included, with SDK retries) listens on this signal: more than
  // Node's default of 10 listeners is expected, not a leak.
  setMaxListeners(ABORT_LISTENERS, controller.signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('timeout');
    }, settings.timeoutMs);
  });
  try {
    // The role first: a role that cannot be assumed is one clear failure, not one per read.
    const assumed = await Promise.race([
      factory.resolveCredentials(access, controller.signal).then(() => undefined, (e: unknown) => e ?? new Error('AssumeRole failed')),
      timedOut,
    ]);
    if (assumed !== undefined) {
      const operation = `sts:AssumeRole ${access.roleArn ?? ''}`.trim();
      return failedResult(expected.target, expected.stateSource, assumed === 'timeout' || controller.signal.aborted
        ? { code: 'AWS_TIMEOUT', operation: 'sts:AssumeRole', message: `${operation}: no credentials within ${settings.timeoutMs / 1000}s (--timeout)` }
        : { code: awsErrorCode(assumed), operation: 'sts:AssumeRole', message: describeAwsError(operation, assumed) }, expected);
    }
    // Pooled clients, this target's alone until released; the abort reaches their HTTP requests.
    const lease = factory.lease(access, controller.signal);
    const clients = {
      kms: lease.kms(),
      ssoAdmin: lease.ssoAdmin(expected.encryption?.region ?? expected.region),
      kmsFor: (region: string) => lease.kms(region),
    };
    const reading = readLiveTarget(expected, clients, { signal: controller.signal, lastError: () => lease.lastError() });
    let live = await Promise.race([reading, timedOut]);
    if (live === 'timeout') {
      // The abort makes every read still in flight an AWS_TIMEOUT naming its operation; what the other
      // reads found (a disabled key) still counts. Only reads that ignore the abort leave nothing.
      live = await Promise.race([reading, sleep(ABORT_GRACE_MS).then(() => 'timeout' as const)]);
      if (live === 'timeout') {
        return failedResult(expected.target, expected.stateSource, {
          code: 'AWS_TIMEOUT', operation: 'read-live',
          message: `reading the live key and instance took longer than ${settings.timeoutMs / 1000}s (--timeout)${lease.lastError() ? `; the last AWS error before that: ${lease.lastError()}` : ''}`,
        }, expected);
      }
    }
    // After an abort the lease drops its clients instead of pooling them (calls may still be in flight).
    lease.release();
    return compareTarget(expected, live, { ignore: settings.ignore, ...(job.orgId ? { orgId: job.orgId } : {}) });
  } catch (e) {
    return failedResult(expected.target, expected.stateSource, {
      code: isIdcCmkError(e) ? e.code : 'INTERNAL', operation: 'check-target', message: messageOf(e),
    }, expected);
  } finally {
    clearTimeout(timer);
  }
}

/** How long reads get, once the target's time limit aborted them, to settle as AWS_TIMEOUT failures. */
export const ABORT_GRACE_MS = 1_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}

/** A target that could not be checked: `unknown`, never `in_sync` or `drifted`. */
export function failedResult(target: string, stateSource: string | undefined, error: ReadFailure, expected?: ExpectedTarget): TargetResult {
  return {
    target,
    ...(expected ? { account: expected.account, region: expected.region } : {}),
    ...(stateSource ? { stateSource } : {}),
    status: 'unknown',
    findings: [],
    errors: [error],
    ignored: 0,
  };
}

export function messageOf(e: unknown): string {
  if (isIdcCmkError(e)) return [e.message, ...e.details, ...(e.hint ? [`hint: ${e.hint}`] : [])].join('; ');
  return e instanceof Error ? e.message : String(e);
}
