/** A worker that cannot start or dies leaves its targets `unknown` with the reason: never in sync, never lost. */
import type { CheckJob } from '../../../drift/pipeline/check-target';
import { checkInWorkers } from '../../../drift/pipeline/worker-pool';
import { NO_IGNORE_RULES } from '../../../drift/ignore';

const job = (target: string, account: string): CheckJob =>
  ({
    expected: { target, stateSource: `${target}.tfstate`, account, region: 'us-east-1' },
    access: { region: 'us-east-1', roleArn: `arn:aws:iam::${account}:role/idc-cmk-drift` },
  }) as unknown as CheckJob;

test('a worker that cannot start: every one of its targets is unknown (INTERNAL) with the reason, in order', async () => {
  const jobs = [job('a', '111111111111'), job('b', '222222222222'), job('c', '111111111111')];
  const seen: string[] = [];
  const results = await checkInWorkers(jobs, {
    concurrency: 4,
    workers: 2,
    settings: { ignore: NO_IGNORE_RULES, timeoutMs: 1000 },
    // Not cloneable: the worker's input cannot be posted.
    factoryOptions: { credentials: async () => ({ accessKeyId: 'x', secretAccessKey: 'y' }) },
    onResult: (r) => seen.push(r.target),
  });
  expect(results.map((r) => [r.target, r.status, r.account])).toEqual([
    ['a', 'unknown', '111111111111'],
    ['b', 'unknown', '222222222222'],
    ['c', 'unknown', '111111111111'],
  ]);
  for (const r of results) {
    expect(r.errors[0]).toMatchObject({ code: 'INTERNAL', operation: 'check-target' });
    expect(r.errors[0]!.message).toMatch(/^worker thread \d of 2 stopped: /);
  }
  expect(seen.sort()).toEqual(['a', 'b', 'c']);
});
