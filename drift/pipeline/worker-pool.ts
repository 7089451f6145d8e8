/**
 * The main thread's side of worker-thread checks: deal the credential groups to the workers, split
 * the concurrency and sockets between them, collect each result as it arrives. A worker that dies
 * leaves its unfinished targets `unknown` with the reason: never `in_sync`, never lost.
 */
import { extname, join } from 'path';
import { Worker } from 'worker_threads';
import type { TargetResult } from '../model';
import { failedResult } from './check-target';
import { type RunChecksOptions, groupByCredentials, partitionGroups } from './run-checks';
import type { CheckJob } from './check-target';
import type { WorkerInput, WorkerMessage } from './check-worker';

export async function checkInWorkers(jobs: readonly CheckJob[], options: RunChecksOptions & { readonly workers: number }): Promise<TargetResult[]> {
  const shares = partitionGroups(groupByCredentials(jobs), options.workers).filter((s) => s.length > 0);
  const results: Array<TargetResult | undefined> = Array.from({ length: jobs.length }, () => undefined);
  /** Job index -> why its worker stopped. */
  const failures = new Map<number, string>();
  await Promise.all(
    shares.map((indexes, w) => {
      const input: WorkerInput = {
        jobs: indexes.map((i) => jobs[i] as CheckJob),
        concurrency: splitEvenly(options.concurrency, shares.length, w),
        settings: options.settings,
        factoryOptions: {
          ...options.factoryOptions,
          ...(options.factoryOptions.maxSockets !== undefined ? { maxSockets: Math.ceil(options.factoryOptions.maxSockets / shares.length) } : {}),
        },
      };
      return runWorker(input, (local, result) => {
        results[indexes[local] as number] = result;
        options.onResult?.(result);
      }).catch((e: unknown) => {
        const reason = `worker thread ${w + 1} of ${shares.length} stopped: ${e instanceof Error ? e.message : String(e)}`;
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
