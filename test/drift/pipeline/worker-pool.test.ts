/**
 * Checks spread over threads: the main thread checks a share too, and a thread that cannot start or
 * dies leaves its targets `unknown` with the reason: never in sync, never lost.
 */
import type { CheckJob } from '../../../drift/pipeline/check-target';
import { checkInWorkers } from '../../../drift/pipeline/worker-pool';
import { NO_IGNORE_RULES } from '../../../drift/ignore';

const job = (target: string, account: string): CheckJob =>
  ({
    expected: { target, stateSource: `${target}.tfstate`, account, region: 'us-east-1' },
    access: { region: 'us-east-1', roleArn: `arn:aws:iam::${account}:role/idc-cmk-drift` },
  }) as unknown as CheckJob;

const settings = { ignore: NO_IGNORE_RULES, timeoutMs: 5000 };

test('workers that cannot start leave their targets unknown (INTERNAL); the main thread checks its own share', async () => {
  // Three accounts, two workers: one account per thread. The credential provider is a function: it
  // works in this thread (and fails, so no call leaves the process) but cannot be posted to a worker.
  const jobs = [job('a', '111111111111'), job('b', '222222222222'), job('c', '111111111111'), job('d', '333333333333')];
  const seen: string[] = [];
  const results = await checkInWorkers(jobs, {
    concurrency: 4,
    workers: 2,
    settings,
    factoryOptions: {
      credentials: async () => {
        throw Object.assign(new Error('no base credentials in this test'), { name: 'CredentialsProviderError' });
      },
      maxAttempts: 1,
    },
    onResult: (r) => seen.push(r.target),
  });
  expect(results.map((r) => [r.target, r.status, r.account])).toEqual([
    ['a', 'unknown', '111111111111'],
    ['b', 'unknown', '222222222222'],
    ['c', 'unknown', '111111111111'],
    ['d', 'unknown', '333333333333'],
  ]);
  // The largest account goes to the main thread, which tried to assume its role.
  for (const r of [results[0]!, results[2]!]) {
    expect(r.errors[0]).toMatchObject({ operation: 'sts:AssumeRole' });
    expect(r.errors[0]!.message).toContain('no base credentials in this test');
  }
  for (const r of [results[1]!, results[3]!]) {
    expect(r.errors[0]).toMatchObject({ code: 'INTERNAL', operation: 'check-target' });
    expect(r.errors[0]!.message).toMatch(/^worker thread [12] of 2 stopped: /);
  }
  expect(seen.sort()).toEqual(['a', 'b', 'c', 'd']);
});

test('a main thread that cannot check its share leaves its targets unknown (INTERNAL) with the reason', async () => {
  const jobs = [job('a', '111111111111'), job('b', '222222222222')];
  const results = await checkInWorkers(jobs, {
    concurrency: 2,
    workers: 1,
    settings,
    // Refused by every thread's client factory; the worker's failure is its own, with its own reason.
    factoryOptions: { env: { AWS_ENDPOINT_URL: 'not a url', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' } },
  });
  expect(results.map((r) => r.status)).toEqual(['unknown', 'unknown']);
  expect(results[0]!.errors[0]).toMatchObject({ code: 'INTERNAL' });
  expect(results[0]!.errors[0]!.message).toMatch(/^the main thread stopped: invalid AWS endpoint setting/);
  expect(results[1]!.errors[0]!.message).toMatch(/^worker thread 1 of 1 stopped: /);
});
