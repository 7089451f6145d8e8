/**
 * Builds the cdktf app for a rollout config: one {@link TargetStack} per target. Used by `main.ts`
 * and by tests (which pass `Testing.app()`); never calls `synth()`.
 */
import { App } from 'cdktf';
import type { RolloutConfig } from '../config/types';
import { TargetStack } from './target-stack';

export interface BuildAppOptions {
  /**
   * The app to add the stacks to.
   * @default - a new `App` (output directory from cdktf's context, `cdktf.out` by default)
   */
  readonly app?: App;
  /**
   * The directory cdktf runs in; local state paths are relative to it.
   * @default process.cwd()
   */
  readonly projectDir?: string;
}

export interface BuiltApp {
  readonly app: App;
  readonly stacks: readonly TargetStack[];
}

export function buildApp(config: RolloutConfig, options: BuildAppOptions = {}): BuiltApp {
  const app = options.app ?? new App();
  const location = { outdir: app.outdir, projectDir: options.projectDir ?? process.cwd() };
  const stacks = config.targets.map((target) => new TargetStack(app, { target, location }));
  return { app, stacks };
}
