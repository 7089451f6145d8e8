/**
 * The main thread's side of worker-thread checks: deal the credential groups to this thread and the
 * workers (N workers: N + 1 shares; the main thread checks a share too, instead of only waiting), split
 * the concurrency and sockets between them, collect each result as it arrives. A thread that fails
 * leaves its unfinished targets `unknown` with the reason: never `in_sync`, never lost.
 */
import { extname, join } from 'path';
import { Worker } from 'worker_threads';
import { AwsClientFactory } from '../../aws/clients';
import type { TargetResult } from '../model';
import { failedResult } from './check-target';
import { type RunChecksOptions, checkInThread, groupByCredentials, partitionGroups } from './run-checks';
import type { CheckJob } from './check-target';
import type { WorkerInput, WorkerMessage } from './check-worker';

export async function checkInWorkers(jobs: readonly CheckJob[], options: RunChecksOptions & { readonly workers: number }): Promise<TargetResult[]> {
  // Share 0 is this thread's; the others go to workers. Empty shares (fewer accounts than threads) start nothing.
  const shares = partitionGroups(groupByCredentials(jobs), options.workers + 1).filter((s, t) => t === 0 || s.length > 0);
  const workers = shares.length - 1;
  const results: Array<TargetResult | undefined> = Array.from({ length: jobs.length }, () => undefined);
  /** Job index -> why its thread stopped. */
  const failures = new Map<number, string>();
  await Promise.all(
    shares.map((indexes, t) => {
      if (indexes.length === 0) return Promise.resolve();
      const input: WorkerInput = {
        jobs: indexes.map((i) => jobs[i] as CheckJob),
        concurrency: splitEvenly(options.concurrency, shares.length, t),
        settings: options.settings,
        factoryOptions: {
          ...options.factoryOptions,
          ...(options.factoryOptions.maxSockets !== undefined ? { maxSockets: Math.ceil(options.factoryOptions.maxSockets / shares.length) } : {}),
        },
      };
      const onResult = (local: number, result: TargetResult): void => {
        results[indexes[local] as number] = result;
        options.onResult?.(result);
      };
      const run = t === 0 ? checkHere(input, onResult) : runWorker(input, onResult);
      return run.catch((e: unknown) => {
        const who = t === 0 ? 'the main thread' : `worker thread ${t} of ${workers}`;
        const reason = `${who} stopped: ${e instanceof Error ? e.message : String(e)}`;
        for (const i of indexes) failures.set(i, reason);
      });
    }),
  );
  return results.map((r, i) => {
    if (r) return r;
    const { expected } = jobs[i] as CheckJob;
    const message = failures.get(i) ?? 'worker thread ended without checking this target';
    const result = failedResult(expected.target, expected.stateSource, { code: 'INTERNAL', operation: 'check-target', message }, expected);
    options.onResult?.(result);
    return result;
  });
}

/** This thread's share, with its own client factory (its share of the sockets), as a worker would check it. */
async function checkHere(input: WorkerInput, onResult: (localIndex: number, result: TargetResult) => void): Promise<void> {
  const factory = new AwsClientFactory(input.factoryOptions);
  try {
    await checkInThread(input.jobs, factory, input.concurrency, input.settings, (result, index) => onResult(index, result));
  } finally {
    factory.destroy();
  }
}

/** `total` split over `parts`: the first `total % parts` parts get one more; every part at least 1. */
export function splitEvenly(total: number, parts: number, index: number): number {
  return Math.max(1, Math.floor(total / parts) + (index < total % parts ? 1 : 0));
}

function runWorker(input: WorkerInput, onResult: (localIndex: number, result: TargetResult) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(input);
    let done = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'result') onResult(m.index, m.result);
      else if (m.type === 'done') done = true;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (done ? resolve() : reject(new Error(`exit code ${code}`))));
  });
}

/**
 * The compiled worker (dist), or under ts-node/jest the TypeScript source through ts-node. The worker
 * starts with a copy of this thread's environment (under jest, the test's, not the process's).
 */
function startWorker(input: WorkerInput): Worker {
  const script = join(__dirname, `check-worker${extname(__filename)}`);
  if (extname(__filename) !== '.ts') return new Worker(script, { workerData: input, env: process.env });
  const tsNode = require.resolve('ts-node');
  const code = `require(${JSON.stringify(tsNode)}).register({ transpileOnly: true }); require(${JSON.stringify(script)});`;
  return new Worker(code, { eval: true, workerData: input, env: process.env });
}
