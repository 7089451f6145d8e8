/**
 * Builds the cdktf app for a rollout config: one {@link TargetStack} per target. Used by `main.ts`
 * and by tests (which pass `Testing.app()`); never calls `synth()`.
 */
import { App } from 'cdktf';
import type { RolloutConfig } from '../config/types';
import { IdcCmkError, isIdcCmkError } from '../core/errors';
import { tokenProblems } from './literal-values';
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

/**
 * Builds every target's stack. A target whose constructs refuse their props does not stop the others:
 * every target's problems are collected, each prefixed with the target's name, and thrown together.
 */
export function buildApp(config: RolloutConfig, options: BuildAppOptions = {}): BuiltApp {
  const app = options.app ?? new App();
  const location = { outdir: app.outdir, projectDir: options.projectDir ?? process.cwd() };
  const stacks: TargetStack[] = [];
  const problems: string[] = [];
  let failed = 0;
  for (const [index, target] of config.targets.entries()) {
    const tokens = tokenProblems(target);
    if (tokens.length > 0) {
      failed++;
      problems.push(...tokens.map((d) => `${targetLabel(index, target.name)}: ${d}`));
      continue;
    }
    try {
      stacks.push(new TargetStack(app, { target, location }));
    } catch (e) {
      if (!isIdcCmkError(e) || e.code !== 'INPUT_INVALID') throw e;
      failed++;
      const details = e.details && e.details.length > 0 ? e.details : [e.message];
      problems.push(...details.map((d) => `${targetLabel(index, target.name)}: ${d}`));
    }
  }
  if (problems.length > 0) {
    // The rollout file's values, refused by the constructs: a problem of the file, like its own checks'.
    throw new IdcCmkError('CONFIG_INVALID', `${failed} of ${config.targets.length} target${config.targets.length === 1 ? '' : 's'} cannot be synthesized: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, {
      details: problems,
    });
  }
  return { app, stacks };
}

/** How a target is named in problems, as the rollout file's own problems name it: `targets[1] (acme-prod)`. */
export function targetLabel(index: number, name: string): string {
  return `targets[${index}] (${name})`;
}
