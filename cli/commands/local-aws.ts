import type { Command } from 'commander';
import type { CliContext } from '../context';

export function registerLocalAwsCommand(program: Command, ctx: CliContext): void {
  program
    .command('local-aws')
    .description('run the local AWS-compatible endpoint (KMS, SSO Admin, STS, Organizations, S3) with a seeded scenario')
    .option('--port <n>', 'port on 127.0.0.1 (default: an ephemeral port)')
    .option('--scenario <name>', 'seeded world: empty, example-fleet, example-fleet-cmk', 'example-fleet')
    .option('--latency <ms>', 'delay added to every call, in ms')
    .option('--faults <file>', 'fault settings, YAML or JSON: latencyMs, latencyByOperation, throttleEveryNth, throttleRate, throttleOperations, failOperations, failAccounts, dropEveryNth, dropRate, dropOperations')
    .option('--update-delay <ms>', 'how long UpdateInstance stays UPDATING before ENABLED or UPDATE_FAILED, in ms')
    .action(ctx.action(async (options: { port?: string; scenario?: string; latency?: string; faults?: string; updateDelay?: string }) => {
      const { runLocalAws } = await import('../../local-aws/cli');
      return runLocalAws(ctx.io, options);
    }));
}
