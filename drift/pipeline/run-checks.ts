/**
 * Runs every target's check, bounded by the concurrency, in this thread or spread over worker threads.
 *
 * Why threads: at fleet scale the run is bound by CPU, not by round trips. Each AWS call costs about
 * 0.4 ms of CPU in the SDK (middleware, signing, parsing), so 1,000 targets (7,000 calls)
 * keep one core busy for longer than the calls take to come back. Worker threads put the other cores
 * to work next to the main thread (which checks a share too); each thread has its own client factory,
 * and the concurrency is split between them.
 *
 * Targets are grouped by the credentials they use (one account's role): a group stays in one thread,
 * so an account is assumed once, and its clients are released when its last target is done.
 */
import { availableParallelism } from 'os';
import pLimit from 'p-limit';
import { AwsClientFactory, type AwsClientFactoryOptions, roleKey } from '../../aws/clients';
import type { TargetResult } from '../model';
import { type CheckJob, type CheckSettings, checkTarget } from './check-target';

/** Each thread (the main one and every worker) gets at least this many targets: starting a worker (loading the SDK, warming its JIT) costs ~0.3 s of CPU. */
export const MIN_TARGETS_PER_WORKER = 250;
/** Auto mode uses at most this many worker threads. */
export const MAX_AUTO_WORKERS = 4;
/**
 * Auto mode needs this many cores. Measured on 2 cores (bench, 1,000 targets): two workers took 4.8 s
 * and 6.4 s of CPU against 4.4 s and 4.6 s in one thread; the main thread plus one worker took
 * 6.7-7.2 s against 6.3-7.1 s in one thread (machine B). Each thread's own SDK load, JIT warm-up and
 * heap cost more than a second core wins when the rest of the machine (here the endpoint) needs it too.
 */
export const MIN_CORES_FOR_WORKERS = 4;

export interface RunChecksOptions {
  /** Targets in flight at once, across all threads. */
  readonly concurrency: number;
  /** Worker threads: 0 checks in this thread; `auto` picks by cores and targets (see autoWorkers). */
  readonly workers: number | 'auto';
  readonly settings: CheckSettings;
  /** Builds each thread's client factory (workers get the options, not the factory). */
  readonly factoryOptions: AwsClientFactoryOptions;
  /** A factory to use in this thread (tests, embedding): forces in-thread checks. */
  readonly factory?: AwsClientFactory;
  /** Called as each target's result arrives (progress). */
  readonly onResult?: (result: TargetResult) => void;
}

/** Results in the order of `jobs`. */
export async function runChecks(jobs: readonly CheckJob[], options: RunChecksOptions): Promise<TargetResult[]> {
  // A credential provider function cannot cross to another thread: such a run stays in this one.
  const inThreadOnly = options.factory !== undefined || typeof options.factoryOptions.credentials === 'function';
  const workers = inThreadOnly ? 0 : options.workers === 'auto' ? autoWorkers(jobs.length) : options.workers;
  if (workers <= 0 || jobs.length === 0) {
    const factory = options.factory ?? new AwsClientFactory(options.factoryOptions);
    try {
      return await checkInThread(jobs, factory, options.concurrency, options.settings, options.onResult);
    } finally {
      if (!options.factory) factory.destroy();
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { checkInWorkers } = require('./worker-pool') as typeof import('./worker-pool');
  return checkInWorkers(jobs, { ...options, workers });
}

/**
 * One worker per core beyond the main thread's (at most MAX_AUTO_WORKERS; the main thread checks a
 * share too), only with at least MIN_CORES_FOR_WORKERS cores, and only when every thread gets
 * MIN_TARGETS_PER_WORKER targets.
 */
export function autoWorkers(targets: number, cores: number = availableParallelism()): number {
  if (cores < MIN_CORES_FOR_WORKERS) return 0;
  const n = Math.min(cores - 1, MAX_AUTO_WORKERS, Math.floor(targets / MIN_TARGETS_PER_WORKER) - 1);
  return Math.max(0, n);
}

/** Checks jobs in this thread, account after account, releasing each account's clients when it is done. */
export async function checkInThread(
  jobs: readonly CheckJob[],
  factory: AwsClientFactory,
  concurrency: number,
  settings: CheckSettings,
  onResult?: (result: TargetResult, index: number) => void,
): Promise<TargetResult[]> {
  const groups = groupByCredentials(jobs);
  const remaining = new Map(groups.map((g) => [g.key, g.indexes.length]));
  const limit = pLimit(Math.max(1, concurrency));
  const results: TargetResult[] = new Array(jobs.length);
  await Promise.all(
    groups.flatMap((group) =>
      group.indexes.map((i) =>
        limit(async () => {
          const job = jobs[i] as CheckJob;
          const result = await checkTarget(job, factory, settings);
          results[i] = result;
          const left = (remaining.get(group.key) as number) - 1;
          remaining.set(group.key, left);
          if (left === 0) factory.release(job.access);
          onResult?.(result, i);
        }),
      ),
    ),
  );
  return results;
}

export interface CredentialGroup {
  /** The role the group's reads use (empty: the caller's own credentials). */
  readonly key: string;
  /** Indexes into the jobs, in their order. */
  readonly indexes: number[];
}

/** Jobs grouped by the credentials they use, in order of first appearance. */
export function groupByCredentials(jobs: readonly CheckJob[]): CredentialGroup[] {
  const groups = new Map<string, number[]>();
  jobs.forEach((job, i) => {
    const key = roleKey(job.access);
    let indexes = groups.get(key);
    if (!indexes) groups.set(key, (indexes = []));
    indexes.push(i);
  });
  return [...groups].map(([key, indexes]) => ({ key, indexes }));
}

/** Credential groups dealt to `n` threads, largest group first to the least loaded: each thread's job indexes. */
export function partitionGroups(groups: readonly CredentialGroup[], n: number): number[][] {
  const shares: number[][] = Array.from({ length: n }, () => []);
  const sorted = [...groups].sort((a, b) => b.indexes.length - a.indexes.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const g of sorted) {
    let least = 0;
    for (let i = 1; i < n; i++) if ((shares[i] as number[]).length < (shares[least] as number[]).length) least = i;
    (shares[least] as number[]).push(...g.indexes);
  }
  return shares.map((s) => s.sort((a, b) => a - b));
}
