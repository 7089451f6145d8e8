/**
 * What `config validate` adds to the file's own checks: every target's constructs are built in a
 * throwaway app (never synthesized, nothing kept), so what they refuse (lockout, `Principal: "*"`,
 * alarm subscriptions, ...) is reported for every target at once, before any synth.
 */
import { App } from 'cdktf';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import type { RolloutConfig } from '../config/types';
import { IdcCmkError, describeProblem } from '../core/errors';
import { buildApp } from './build-app';
import { withoutCreationStackTraces } from './creation-stack-traces';

export function checkConstructs(config: RolloutConfig, configPath: string): void {
  let outdir: string;
  try {
    // cdktf's App creates its output folder: a scratch one, removed after.
    outdir = mkdtempSync(join(tmpdir(), 'idc-cmk-validate-'));
  } catch (e) {
    throw new IdcCmkError('INPUT_INVALID', describeProblem('TMPDIR', tmpdir(), `a writable folder: building the constructs needs a scratch folder there (${(e as NodeJS.ErrnoException).code ?? 'error'})`), { cause: e });
  }
  try {
    withoutCreationStackTraces(() => buildApp(config, { app: new App({ outdir }), projectDir: dirname(configPath) }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
