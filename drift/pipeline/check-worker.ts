/**
 * A worker thread's side of worker-thread checks: its own client factory, its share of the targets
 * and of the concurrency; each result posted as soon as it is known.
 */
import { parentPort, workerData } from 'worker_threads';
import { AwsClientFactory, type AwsClientFactoryOptions } from '../../aws/clients';
import type { TargetResult } from '../model';
import { type CheckJob, type CheckSettings } from './check-target';
import { checkInThread } from './run-checks';

export interface WorkerInput {
  readonly jobs: readonly CheckJob[];
  readonly concurrency: number;
  readonly settings: CheckSettings;
  /** Plain data only (no credential provider functions): it crosses the thread boundary. */
  readonly factoryOptions: AwsClientFactoryOptions;
}

export type WorkerMessage = { readonly type: 'result'; readonly index: number; readonly result: TargetResult } | { readonly type: 'done' };

async function main(input: WorkerInput): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('check-worker runs as a worker thread');
  const factory = new AwsClientFactory(input.factoryOptions);
  try {
    await checkInThread(input.jobs, factory, input.concurrency, input.settings, (result, index) => {
      port.postMessage({ type: 'result', index, result } satisfies WorkerMessage);
    });
  } finally {
    factory.destroy();
  }
  port.postMessage({ type: 'done' } satisfies WorkerMessage);
}

// A rejection is unhandled in the worker: it surfaces as the worker's 'error' event in the main thread,
// which marks the unfinished targets unknown.
if (parentPort) void main(workerData as WorkerInput);
