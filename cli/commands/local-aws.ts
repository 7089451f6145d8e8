import type { Command } from 'commander';
import type { CliContext } from '../context';

export function registerLocalAwsCommand(program: Command, ctx: CliContext): void {
  program
    .command('local-aws')
    .description('run the local AWS-compatible endpoint (KMS, SSO Admin, STS, S3) with a seeded scenario')
    .option('--port <n>', 'port on 127.0.0.1 (default: an ephemeral port)')
    .option('--scenario <name>', 'seeded world: empty, example-fleet, example-fleet-cmk', 'example-fleet')
    .option('--latency <ms>', 'delay added to every call, in ms')
    .action(ctx.action(async (options: { port?: string; scenario?: string; latency?: string }) => {
      const { runLocalAws } = await import('../../local-aws/cli');
      return runLocalAws(ctx.io, options);
    }));
}
