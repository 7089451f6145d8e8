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
import { buildApp } from './build-app';
import { withoutCreationStackTraces } from './creation-stack-traces';

export function checkConstructs(config: RolloutConfig, configPath: string): void {
  const outdir = mkdtempSync(join(tmpdir(), 'idc-cmk-validate-'));
  try {
    withoutCreationStackTraces(() => buildApp(config, { app: new App({ outdir }), projectDir: dirname(configPath) }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
