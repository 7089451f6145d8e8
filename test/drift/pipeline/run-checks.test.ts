/** The pure parts of spreading checks over threads: grouping by credentials, dealing, splitting, auto mode. */
import type { CheckJob } from '../../../drift/pipeline/check-target';
import { autoWorkers, groupByCredentials, MAX_AUTO_WORKERS, MIN_TARGETS_PER_WORKER, partitionGroups } from '../../../drift/pipeline/run-checks';
import { splitEvenly } from '../../../drift/pipeline/worker-pool';

const job = (target: string, roleArn?: string): CheckJob =>
  ({ expected: { target }, access: { region: 'us-east-1', ...(roleArn ? { roleArn } : {}) } }) as unknown as CheckJob;

describe('groupByCredentials', () => {
  test('groups by role (with external ID and session name), in order of first appearance', () => {
    const jobs = [job('a', 'r1'), job('b', 'r2'), job('c', 'r1'), job('d'), job('e', 'r2')];
    expect(groupByCredentials(jobs).map((g) => g.indexes)).toEqual([[0, 2], [1, 4], [3]]);
    const withExternal = { ...job('f', 'r1'), access: { region: 'us-east-1', roleArn: 'r1', externalId: 'x' } } as CheckJob;
    expect(groupByCredentials([job('a', 'r1'), withExternal])).toHaveLength(2);
  });
});

describe('partitionGroups', () => {
  test('keeps each group in one share, covers every job once, and balances the shares', () => {
    const jobs = [...Array.from({ length: 10 }, (_, i) => job(`big${i}`, 'big')), ...Array.from({ length: 30 }, (_, i) => job(`t${i}`, `r${i % 15}`))];
    const groups = groupByCredentials(jobs);
    const shares = partitionGroups(groups, 3);
    expect(shares.flat().sort((a, b) => a - b)).toEqual(jobs.map((_, i) => i));
    for (const g of groups) expect(shares.filter((s) => g.indexes.some((i) => s.includes(i)))).toHaveLength(1);
    const sizes = shares.map((s) => s.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
    for (const s of shares) expect([...s].sort((a, b) => a - b)).toEqual(s);
  });

  test('more shares than groups leaves the extra shares empty', () => {
    expect(partitionGroups(groupByCredentials([job('a', 'r1'), job('b', 'r1')]), 3).map((s) => s.length)).toEqual([2, 0, 0]);
  });
});

test('splitEvenly: the total is kept, each part at least 1', () => {
  expect([0, 1, 2].map((i) => splitEvenly(32, 3, i))).toEqual([11, 11, 10]);
  expect([0, 1].map((i) => splitEvenly(1, 2, i))).toEqual([1, 1]);
});

describe('autoWorkers', () => {
  test('stays in one thread below 4 cores (measured: on 2 cores, threads are slower) and for small fleets', () => {
    expect(autoWorkers(10_000, 1)).toBe(0);
    expect(autoWorkers(10_000, 2)).toBe(0);
    expect(autoWorkers(MIN_TARGETS_PER_WORKER * 2 - 1, 8)).toBe(0);
  });
  test('on 4+ cores: one worker per spare core (the main thread checks too), at most MAX_AUTO_WORKERS, each thread with enough targets', () => {
    expect(autoWorkers(10_000, 4)).toBe(3);
    expect(autoWorkers(10_000, 64)).toBe(MAX_AUTO_WORKERS);
    expect(autoWorkers(MIN_TARGETS_PER_WORKER * 2, 8)).toBe(1);
    expect(autoWorkers(MIN_TARGETS_PER_WORKER * 3, 8)).toBe(2);
  });
});
