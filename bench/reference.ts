/**
 * The reference workload (bench/reference-workload.js), timed in a child process like every other
 * measurement: its wall time tells a slower or busier machine from a slower build. Shared cloud
 * machines vary: the same code, on two machines of the same listing, took 2.44 s and 3.86 s (bench
 * medians) for the 1,000-target synth, and one machine's speed can swing within a run.
 */
import * as path from 'path';
import { measureNode, medianByWall } from './measure';

const WORKLOAD = path.join(__dirname, '..', '..', 'bench', 'reference-workload.js');

export interface ReferenceTiming {
  /** Median wall time of the runs, in seconds. */
  readonly seconds: number;
  readonly runs: readonly number[];
}

export async function timeReferenceWorkload(runs = 3): Promise<ReferenceTiming> {
  const measured: number[] = [];
  for (let i = 0; i < runs; i++) {
    const m = await measureNode(WORKLOAD, []);
    if (m.exitCode !== 0) throw new Error(`the reference workload exited ${m.exitCode}:\n${m.stderr.slice(0, 2000)}`);
    measured.push(m.wallSeconds);
  }
  return { seconds: medianByWall(measured, (s) => s), runs: measured };
}
