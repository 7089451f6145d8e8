/**
 * The cdktf app entry (`npx cdktf synth`, `npm run synth`): read the rollout file, build one stack
 * per target, synthesize. A bad rollout file (or a construct validation failure) prints its problems
 * without a stack trace (IDC_CMK_DEBUG=1 for one) and sets exit code 1.
 * Tests never import this file; they call `buildApp`.
 */
import { buildApp } from './app/build-app';
import { withoutCreationStackTraces } from './app/creation-stack-traces';
import { processIo } from './cli/io';
import { reportError } from './cli/run-command';
import { configPathFromEnv, loadRolloutConfig } from './config/load';

function main(): number {
  try {
    const config = loadRolloutConfig(configPathFromEnv(process.env, process.cwd()));
    // cdktf's per-token creation traces are ~10% of a fleet's synth (see creation-stack-traces.ts).
    withoutCreationStackTraces(() => buildApp(config).app.synth());
    return 0;
  } catch (e) {
    reportError(processIo(), process.env.IDC_CMK_DEBUG === '1', e, 'IDC_CMK_DEBUG=1');
    return 1;
  }
}

process.exitCode = main();
