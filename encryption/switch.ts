/**
 * Switch an Identity Center instance's encryption at rest to a customer managed key (apply), back to
 * the AWS owned key (revert), or read it (status), on the AWS SDK v3.
 *
 * Both switches: wait out an update already in progress, then call UpdateInstance with ONLY
 * `InstanceArn` and `EncryptionConfiguration` (AWS rejects it combined with other fields), then poll
 * DescribeInstance until ENABLED on the target. UPDATE_FAILED -> ENCRYPTION_UPDATE_FAILED with AWS's
 * reason (the previous key stays in use); out of time -> ENCRYPTION_TIMEOUT. Both are idempotent:
 * already on the target and ENABLED means no UpdateInstance call at all.
 */
import { UpdateInstanceCommand, type DescribeInstanceCommandOutput, type EncryptionConfiguration } from '@aws-sdk/client-sso-admin';
import { IdcCmkError, isIdcCmkError } from '../core/errors';
import { toIdcCmkError } from '../aws/errors';
import { accessOf, assertPreflight, describeInstance, runPreflight } from './preflight';
import { assertApplyOptions, assertRevertOptions, assertTarget } from './validate';
import { withinTimeout } from './deadline';
import { statusCommand } from './status-command';
import {
  AWS_OWNED_KMS_KEY,
  CUSTOMER_MANAGED_KEY,
  ENCRYPTION_STATUS,
  SYSTEM_CLOCK,
  type ApplyEncryptionOptions,
  type Clock,
  type EncryptionClients,
  type EncryptionLog,
  type EncryptionOutcome,
  type EncryptionState,
  type InstanceStatusReport,
  type InstanceTarget,
  type RevertEncryptionOptions,
  type WaitOptions,
} from './types';

const NO_LOG: EncryptionLog = () => undefined;

export function encryptionStateOf(d: DescribeInstanceCommandOutput): EncryptionState {
  const e = d.EncryptionConfigurationDetails ?? {};
  return {
    ...(e.KeyType !== undefined ? { keyType: e.KeyType } : {}),
    ...(e.KmsKeyArn !== undefined ? { kmsKeyArn: e.KmsKeyArn } : {}),
    ...(e.EncryptionStatus !== undefined ? { encryptionStatus: e.EncryptionStatus } : {}),
    ...(e.EncryptionStatusReason !== undefined ? { encryptionStatusReason: e.EncryptionStatusReason } : {}),
  };
}

/** `CUSTOMER_MANAGED_KEY arn:... (ENABLED)` */
export function describeEncryption(s: EncryptionState): string {
  const key = s.keyType === CUSTOMER_MANAGED_KEY ? `${CUSTOMER_MANAGED_KEY} ${s.kmsKeyArn ?? '(no key ARN)'}` : s.keyType ?? 'unknown key type';
  return `${key} (${s.encryptionStatus ?? 'unknown status'}${s.encryptionStatusReason ? `: ${s.encryptionStatusReason}` : ''})`;
}

/** The live configuration: DescribeInstance only. */
export async function encryptionStatus(target: InstanceTarget, clients: EncryptionClients): Promise<InstanceStatusReport> {
  assertTarget(target);
  await assumeRoleFirst(target, clients);
  const d = await describeInstance(clients, target);
  return {
    instanceArn: d.InstanceArn ?? target.instanceArn,
    region: target.region,
    ...(d.Name !== undefined ? { name: d.Name } : {}),
    ...(d.OwnerAccountId !== undefined ? { ownerAccountId: d.OwnerAccountId } : {}),
    ...(d.IdentityStoreId !== undefined ? { identityStoreId: d.IdentityStoreId } : {}),
    ...(d.Status !== undefined ? { status: d.Status } : {}),
    ...(d.StatusReason !== undefined ? { statusReason: d.StatusReason } : {}),
    ...encryptionStateOf(d),
  };
}

/** Switch the instance to `kmsKeyArn` after the pre-flight passed. */
export async function applyEncryption(
  options: ApplyEncryptionOptions,
  clients: EncryptionClients,
  log: EncryptionLog = NO_LOG,
  clock: Clock = SYSTEM_CLOCK,
): Promise<EncryptionOutcome> {
  assertApplyOptions(options);
  return withinTimeout(options, clients, (bounded) => apply(options, bounded, log, clock));
}

async function apply(options: ApplyEncryptionOptions, clients: EncryptionClients, log: EncryptionLog, clock: Clock): Promise<EncryptionOutcome> {
  await assumeRoleFirst(options, clients);
  const started = clock.now();
  const deadline = started + options.timeoutSeconds * 1000;
  const target = { keyType: CUSTOMER_MANAGED_KEY, kmsKeyArn: options.kmsKeyArn } as const;

  let current = await settledInstance(options, clients, log, clock, deadline);
  const before = encryptionStateOf(current);
  log(`instance ${options.instanceArn} uses ${describeEncryption(before)}`);

  log(`pre-flight: checking key ${options.kmsKeyArn} and its policy for this instance`);
  const preflight = await runPreflight(options, clients, current);
  for (const c of preflight.checks) log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.id}: ${c.message}`);
  assertPreflight(preflight, options);

  if (isOn(before, target)) {
    log('already on this key and ENABLED: nothing to do');
    return { ...outcome('unchanged', options, before, before, started, clock, 'already on this key and ENABLED; UpdateInstance was not called'), checks: preflight.checks };
  }
  if (options.dryRun) {
    log(`dry run: would call UpdateInstance with KeyType ${CUSTOMER_MANAGED_KEY} and KmsKeyArn ${options.kmsKeyArn}`);
    return { ...outcome('would-update', options, before, before, started, clock), checks: preflight.checks };
  }

  await updateInstance(options, clients, { KeyType: CUSTOMER_MANAGED_KEY, KmsKeyArn: options.kmsKeyArn }, log);
  current = await waitForTarget(options, clients, target, log, clock, deadline, before);
  const after = encryptionStateOf(current);
  log(`done: instance uses ${describeEncryption(after)}`);
  return { ...outcome('updated', options, before, after, started, clock), checks: preflight.checks };
}

/** Switch the instance back to the AWS owned key. */
export async function revertEncryption(
  options: RevertEncryptionOptions,
  clients: EncryptionClients,
  log: EncryptionLog = NO_LOG,
  clock: Clock = SYSTEM_CLOCK,
): Promise<EncryptionOutcome> {
  assertRevertOptions(options);
  return withinTimeout(options, clients, (bounded) => revert(options, bounded, log, clock));
}

async function revert(options: RevertEncryptionOptions, clients: EncryptionClients, log: EncryptionLog, clock: Clock): Promise<EncryptionOutcome> {
  await assumeRoleFirst(options, clients);
  const started = clock.now();
  const deadline = started + options.timeoutSeconds * 1000;
  const target = { keyType: AWS_OWNED_KMS_KEY } as const;

  const current = await settledInstance(options, clients, log, clock, deadline);
  const before = encryptionStateOf(current);
  log(`instance ${options.instanceArn} uses ${describeEncryption(before)}`);

  if (isOn(before, target)) {
    log('already on the AWS owned key and ENABLED: nothing to do');
    return outcome('unchanged', options, before, before, started, clock, 'already on the AWS owned key and ENABLED; UpdateInstance was not called');
  }
  if (options.onlyIfKeyArn !== undefined && !(before.keyType === CUSTOMER_MANAGED_KEY && before.kmsKeyArn === options.onlyIfKeyArn)) {
    const note = `the instance does not use ${options.onlyIfKeyArn} (it uses ${describeEncryption(before)}); not switching back`;
    log(note);
    return outcome('skipped', options, before, before, started, clock, note);
  }
  const refusals: string[] = [];
  if (current.Status !== undefined && current.Status !== 'ACTIVE') refusals.push(`instance-active: instance status is ${current.Status}; required: ACTIVE`);
  const regions = current.Regions ?? [];
  if (regions.length > 1) {
    refusals.push(`multi-region: the instance is replicated to ${regions.map((r) => r.RegionName).join(', ')}; multi-Region Identity Center does not support the AWS owned key (remove the additional Regions first)`);
  }
  if (refusals.length > 0) {
    throw new IdcCmkError('PREFLIGHT_REFUSED', `refusing to switch ${options.instanceArn} back to the AWS owned key; nothing was changed`, { details: refusals });
  }
  if (options.dryRun) {
    log(`dry run: would call UpdateInstance with KeyType ${AWS_OWNED_KMS_KEY}`);
    return outcome('would-update', options, before, before, started, clock);
  }

  await updateInstance(options, clients, { KeyType: AWS_OWNED_KMS_KEY }, log);
  const done = await waitForTarget(options, clients, target, log, clock, deadline, before);
  const after = encryptionStateOf(done);
  log(`done: instance uses ${describeEncryption(after)}`);
  return outcome('updated', options, before, after, started, clock);
}

/** The role first: one clear `sts:AssumeRole <role>` failure instead of a misattributed first call. */
async function assumeRoleFirst(target: InstanceTarget, clients: EncryptionClients): Promise<void> {
  if (!target.roleArn || !clients.resolveCredentials) return;
  try {
    await clients.resolveCredentials(accessOf(target));
  } catch (e) {
    throw toIdcCmkError(`sts:AssumeRole ${target.roleArn}`, e, `check that ${target.roleArn} exists and that its trust policy lets the caller assume it`);
  }
}

interface TargetConfig {
  readonly keyType: string;
  readonly kmsKeyArn?: string;
}

function isOn(s: EncryptionState, t: TargetConfig): boolean {
  if (s.encryptionStatus !== ENCRYPTION_STATUS.ENABLED) return false;
  if (t.keyType === AWS_OWNED_KMS_KEY) return s.keyType === AWS_OWNED_KMS_KEY;
  return s.keyType === t.keyType && s.kmsKeyArn === t.kmsKeyArn;
}

/** DescribeInstance, waiting while an earlier update is still UPDATING. */
async function settledInstance(
  target: InstanceTarget & WaitOptions,
  clients: EncryptionClients,
  log: EncryptionLog,
  clock: Clock,
  deadline: number,
): Promise<DescribeInstanceCommandOutput> {
  let d = await describeInstance(clients, target);
  if (d.EncryptionConfigurationDetails?.EncryptionStatus === ENCRYPTION_STATUS.UPDATING) {
    log(`instance is UPDATING (an earlier change is in progress): waiting for it to finish first`);
  }
  while (d.EncryptionConfigurationDetails?.EncryptionStatus === ENCRYPTION_STATUS.UPDATING) {
    if (deadline - clock.now() <= LAST_LOOK_RESERVE_MS) {
      throw timeoutError(target, 'for an earlier encryption update to finish before starting', encryptionStateOf(d));
    }
    await clock.sleep(untilNextPoll(target, clock, deadline));
    d = await describeInstance(clients, target);
  }
  return d;
}

/** Errors that say AWS refused the call: nothing changed. Anything else (a lost answer) may have. */
const REFUSED: ReadonlySet<string> = new Set(['AWS_ACCESS_DENIED', 'AWS_NOT_FOUND', 'AWS_THROTTLED', 'INPUT_INVALID']);

/**
 * The one write: UpdateInstance with only InstanceArn and EncryptionConfiguration. The SDK retries a
 * call whose answer was lost; if the first one reached AWS, the retry meets ConflictException. When the
 * instance is then updating to (or already on) exactly this configuration, that update is ours: wait
 * for it like any other.
 */
async function updateInstance(target: InstanceTarget, clients: EncryptionClients, config: EncryptionConfiguration, log: EncryptionLog): Promise<void> {
  log(`calling UpdateInstance: KeyType ${config.KeyType}${config.KmsKeyArn ? `, KmsKeyArn ${config.KmsKeyArn}` : ''}`);
  try {
    await clients.ssoAdmin(accessOf(target)).send(new UpdateInstanceCommand({ InstanceArn: target.instanceArn, EncryptionConfiguration: config }));
  } catch (e) {
    const reason = (e as { Reason?: string }).Reason;
    if (typeof reason === 'string' && reason.startsWith('KMS_')) {
      const base = toIdcCmkError('sso-admin:UpdateInstance', e);
      throw new IdcCmkError('ENCRYPTION_UPDATE_FAILED', `Identity Center rejected the key (${reason}): ${base.message}; the previous key remains in use`, { cause: e });
    }
    if ((e as { name?: string }).name === 'ConflictException') {
      const now = encryptionStateOf(await describeInstance(clients, target));
      const same = now.keyType === config.KeyType && (config.KmsKeyArn === undefined || now.kmsKeyArn === config.KmsKeyArn);
      if (same && (now.encryptionStatus === ENCRYPTION_STATUS.UPDATING || now.encryptionStatus === ENCRYPTION_STATUS.ENABLED)) {
        log(`UpdateInstance answered ConflictException, and the instance is ${now.encryptionStatus} on this configuration: an earlier attempt of this call got through; waiting for it`);
        return;
      }
      const why = now.encryptionStatus === ENCRYPTION_STATUS.UPDATING ? 'another encryption update is in progress' : 'Identity Center reported a conflicting change';
      throw toIdcCmkError('sso-admin:UpdateInstance', e, `${why} (now: ${describeEncryption(now)}); this update was not made. Run the command again once the instance is settled`);
    }
    const error = toIdcCmkError('sso-admin:UpdateInstance', e);
    // A validation error is a definite answer: the request was refused as written.
    const hint = REFUSED.has(error.code) || (e as { name?: string }).name === 'ValidationException'
      ? 'nothing was changed: the instance keeps its current key'
      : `the call may have reached AWS before it failed: check with \`${statusCommand(target)}\` before running it again`;
    throw new IdcCmkError(error.code, error.message, { cause: e, hint });
  }
}

async function waitForTarget(
  target: InstanceTarget & WaitOptions,
  clients: EncryptionClients,
  wanted: TargetConfig,
  log: EncryptionLog,
  clock: Clock,
  deadline: number,
  before: EncryptionState,
): Promise<DescribeInstanceCommandOutput> {
  let lastStatus: string | undefined;
  for (;;) {
    const d = await watching(target, () => describeInstance(clients, target));
    const s = encryptionStateOf(d);
    if (s.encryptionStatus !== lastStatus) {
      log(`encryption status: ${s.encryptionStatus ?? 'unknown'}`);
      lastStatus = s.encryptionStatus;
    }
    if (isOn(s, wanted)) return d;
    if (s.encryptionStatus === ENCRYPTION_STATUS.UPDATE_FAILED) {
      throw new IdcCmkError(
        'ENCRYPTION_UPDATE_FAILED',
        `switching ${target.instanceArn} to ${wanted.kmsKeyArn ?? wanted.keyType} failed: ${s.encryptionStatusReason ?? 'AWS gave no EncryptionStatusReason'}`,
        {
          details: [`before: ${describeEncryption(before)}`, `now: ${describeEncryption(s)}`],
          hint: 'Identity Center keeps using the previous key after a failed update. Fix the cause (key policy, key state) and run apply again.',
        },
      );
    }
    if (deadline - clock.now() <= LAST_LOOK_RESERVE_MS) throw timeoutError(target, `for the switch to ${wanted.kmsKeyArn ?? wanted.keyType}`, s);
    await clock.sleep(untilNextPoll(target, clock, deadline));
  }
}

/**
 * A read made after UpdateInstance was accepted: its failure must not read as "nothing happened". The
 * switch goes on (or fails) without us, so the error says so and points at `encryption status`.
 */
async function watching<T>(target: InstanceTarget, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    const error = isIdcCmkError(e) ? e : toIdcCmkError('sso-admin:DescribeInstance', e);
    throw new IdcCmkError(error.code, `UpdateInstance was accepted, but following the switch failed: ${error.message}`, {
      cause: e,
      details: error.details,
      hint: `the switch goes on without this command and may still succeed or fail: check with \`${statusCommand(target)}\`, then run the command again if needed (it changes nothing once the switch is done)`,
    });
  }
}

/** Time kept before the deadline for the last DescribeInstance (calls are aborted at the deadline). */
const LAST_LOOK_RESERVE_MS = 500;

/** The poll interval, or what is left before the last look (made just before the deadline). */
function untilNextPoll(target: WaitOptions, clock: Clock, deadline: number): number {
  return Math.max(0, Math.min(target.pollIntervalMs, deadline - clock.now() - LAST_LOOK_RESERVE_MS));
}

function timeoutError(target: InstanceTarget & WaitOptions, what: string, s: EncryptionState): IdcCmkError {
  return new IdcCmkError('ENCRYPTION_TIMEOUT', `gave up after ${target.timeoutSeconds}s waiting ${what}; last seen: ${describeEncryption(s)}. The instance may still be UPDATING.`, {
    hint:
      `check it with \`${statusCommand(target)}\`` +
      ` (or \`aws sso-admin describe-instance --instance-arn ${target.instanceArn} --region ${target.region}\`); run the command again with a longer --timeout once it is no longer UPDATING`,
  });
}

function outcome(
  action: EncryptionOutcome['action'],
  target: InstanceTarget,
  before: EncryptionState,
  after: EncryptionState,
  started: number,
  clock: Clock,
  note?: string,
): EncryptionOutcome {
  return { action, instanceArn: target.instanceArn, region: target.region, before, after, ...(note ? { note } : {}), elapsedMs: clock.now() - started };
}
