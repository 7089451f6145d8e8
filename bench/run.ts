/**
 * `npm run bench`: benchmarks, not tests. Prints tables and checks the targets of issue 7; writes the
 * results as JSON to bench/results/latest.json (BENCH_QUICK=1: small sizes only, written to
 * latest-quick.json so a quick run never replaces the full one).
 */
import { mkdirSync, writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import { join } from 'path';
import { benchDrift, DRIFT_TARGET_MB, DRIFT_TARGET_RATIO, DRIFT_TARGET_SECONDS } from './drift';
import { autoWorkers } from '../drift/pipeline/run-checks';
import { table } from './measure';
import { timeReferenceWorkload } from './reference';
import { benchSynth, SYNTH_TARGET_MB, SYNTH_TARGET_SECONDS } from './synth';

/** A reference workload this much slower after the rows than before them means the host changed under the run. */
const REFERENCE_DRIFT_WARNING = 1.2;

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const quick = process.env.BENCH_QUICK === '1';
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  process.stdout.write(`machine: ${machine}\n`);
  const referenceBefore = await timeReferenceWorkload();
  process.stdout.write(`reference workload (bench/reference-workload.js, median of 3): ${referenceBefore.seconds.toFixed(2)} s\n\n`);

  const synthSizes = quick ? [1, 100] : [1, 100, 1000];
  const synth = await benchSynth(synthSizes, quick ? 1 : 3);
  process.stdout.write('Synth (compiled app, deep imports vs provider package root; median wall time, peak RSS of the app process)\n');
  process.stdout.write(
    `${table(
      ['targets', 'stacks', 'deep: wall', 'deep: peak', 'root: wall', 'root: peak', 'root/deep time', 'target'],
      synth.map((r) => [
        String(r.targets),
        String(r.stacksWritten),
        `${r.deep.wallSeconds.toFixed(2)} s`,
        `${r.deep.peakRssMb.toFixed(0)} MB`,
        `${r.root.wallSeconds.toFixed(2)} s`,
        `${r.root.peakRssMb.toFixed(0)} MB`,
        `${(r.root.wallSeconds / r.deep.wallSeconds).toFixed(1)}x`,
        r.targets === 1000 ? verdict(r.deep.wallSeconds <= SYNTH_TARGET_SECONDS && r.deep.peakRssMb <= SYNTH_TARGET_MB) : '',
      ]),
    )}\n\n`,
  );

  const driftSizes = quick ? [100] : [100, 1000];
  const latencyMs = 50;
  const runs = quick ? 1 : 3;
  const drift = await benchDrift(driftSizes, latencyMs, quick ? 10 : 50, { runs, variants: quick ? [] : [{ targets: 1000, workers: '2' }] });
  process.stdout.write(
    `Drift (local endpoint in the bench process on the same cores, ${latencyMs} ms per call, one drift role per account; default settings unless --workers says otherwise; median of ${runs})\n`,
  );
  process.stdout.write(
    `${table(
      ['targets', 'concurrency', 'workers', 'wall', 'cpu', 'endpoint cpu', 'peak', 'requests', 'throttled', 'in sync', 'lower bound', 'ratio', 'naive (sequential)', 'target'],
      drift.map((r) => [
        String(r.targets),
        String(r.concurrency),
        r.workers === 'auto' ? `auto (${autoWorkers(r.targets)})` : r.workers,
        `${r.run.wallSeconds.toFixed(2)} s`,
        `${r.run.cpuSeconds.toFixed(2)} s`,
        `${r.endpointCpuSeconds.toFixed(2)} s`,
        `${r.run.peakRssMb.toFixed(0)} MB`,
        String(r.requests),
        String(r.throttled),
        String(r.inSync),
        `${r.lowerBoundSeconds.toFixed(2)} s`,
        `${(r.run.wallSeconds / r.lowerBoundSeconds).toFixed(2)}x`,
        `${r.naive.scaledSeconds.toFixed(0)} s (${r.naive.targets} measured)`,
        r.targets === 1000 && r.workers === 'auto'
          ? verdict(r.run.wallSeconds <= DRIFT_TARGET_SECONDS && r.run.peakRssMb <= DRIFT_TARGET_MB && r.run.wallSeconds / r.lowerBoundSeconds <= DRIFT_TARGET_RATIO && r.throttled === 0)
          : '',
      ]),
    )}\n`,
  );
  const referenceAfter = await timeReferenceWorkload();
  process.stdout.write(
    `\nreference workload after the rows: ${referenceAfter.seconds.toFixed(2)} s (before: ${referenceBefore.seconds.toFixed(2)} s). ` +
      'A slower or busier machine takes longer for the same code: compare runs by this line first.\n',
  );
  if (referenceAfter.seconds > referenceBefore.seconds * REFERENCE_DRIFT_WARNING) {
    process.stdout.write(
      `warning: the machine got ${((referenceAfter.seconds / referenceBefore.seconds - 1) * 100).toFixed(0)}% slower during the run ` +
        `(more than ${((REFERENCE_DRIFT_WARNING - 1) * 100).toFixed(0)}%): other load on the host; rerun before reading the rows as the code's.\n`,
    );
  }
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, quick ? 'latest-quick.json' : 'latest.json');
  writeFileSync(file, `${JSON.stringify({ machine, date: new Date().toISOString(), quick, reference: { before: referenceBefore, after: referenceAfter }, synth: strip(synth), drift: strip(drift) }, null, 2)}\n`);
  process.stdout.write(`results: ${file}\n`);
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

function strip<T>(rows: T[]): unknown {
  return JSON.parse(JSON.stringify(rows, (k, v) => (k === 'stdout' || k === 'stderr' ? undefined : v)));
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
