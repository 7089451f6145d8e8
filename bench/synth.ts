/**
 * Benchmark 1: synth of N targets with the compiled app (dist/main.js), against the same app with the
 * provider package loaded from its root (the cost of a star import of the whole provider package) as
 * the naive baseline. Wall time and peak RSS of the app process, median of `runs`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fleetRolloutFile, syntheticFleet } from './fleet';
import { measureNode, Measurement, medianByWall } from './measure';

export interface SynthResult {
  readonly targets: number;
  readonly deep: Measurement;
  readonly root: Measurement;
  readonly stacksWritten: number;
}

export const SYNTH_TARGET_SECONDS = 5;
export const SYNTH_TARGET_MB = 300;

const APP = path.join(__dirname, '..', 'main.js');

export async function benchSynth(sizes: readonly number[], runs: number): Promise<SynthResult[]> {
  const results: SynthResult[] = [];
  for (const targets of sizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `idc-cmk-bench-synth-${targets}-`));
    try {
      const configPath = path.join(dir, 'idc-cmk.yaml');
      fs.writeFileSync(configPath, fleetRolloutFile(syntheticFleet(targets)));
      const run = async (preload: string[]) => {
        const all: Measurement[] = [];
        for (let i = 0; i < runs; i++) {
          const outdir = path.join(dir, `out-${preload.length}-${i}`);
          const m = await measureNode(APP, [], {
            cwd: dir,
            preload,
            env: { ...process.env, IDC_CMK_CONFIG: configPath, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
          });
          if (m.exitCode !== 0) throw new Error(`synth of ${targets} targets failed (exit ${m.exitCode}):\n${m.stderr.slice(0, 2000)}`);
          all.push(m);
        }
        return medianByWall(all, (m) => m.wallSeconds);
      };
      const deep = await run([]);
      const root = await run([require.resolve('@cdktf/provider-aws')]);
      const stacksDir = path.join(dir, 'out-0-0', 'stacks');
      const stacksWritten = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).length : 0;
      results.push({ targets, deep, root, stacksWritten });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}
