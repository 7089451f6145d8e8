import type { Command } from 'commander';
import type { CliContext } from '../context';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Flags only; the implementation (drift/cli.ts) is loaded when the command runs. */
export function registerDriftCommand(program: Command, ctx: CliContext): void {
  program
    .command('drift')
    .description('detect drift between Terraform state and the live key and instance (exit 0 in sync, 2 drift, 1 could not check)')
    .option('--config <file>', 'rollout file for per-target roles and ignore rules (default: $IDC_CMK_CONFIG or idc-cmk.yaml when present)')
    .option('--state <path>', 'state file or folder of *.tfstate, repeatable; - reads `terraform state pull` output. Without it (and --state-s3): each target\'s state where the rollout file\'s backend keeps it, or terraform.*.tfstate in the cwd when there is no rollout file', collect)
    .option('--state-s3 <uri>', 'S3 backend states: s3://bucket/prefix')
    .option('--workspace <name>', 'Terraform workspace of the S3 states (env:/<name>/...), from --state-s3 or the rollout file\'s S3 backends')
    .option('--target <name>', 'check only this target (name or glob), repeatable', collect, [])
    .option('--format <format>', 'report format: human, json, markdown, junit', 'human')
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--markdown-summary <file>', 'also append the report as Markdown to this file (e.g. $GITHUB_STEP_SUMMARY)')
    .option('--ignore-file <file>', 'YAML ignore rules (finding codes, attributes per target)')
    .option('--concurrency <n>', 'targets checked at once (default: 32)')
    .option('--workers <n|auto>', 'worker threads for the live reads, next to the main thread: auto (one per spare core, for large fleets on 4+ cores) or 0 to 16', 'auto')
    .option('--timeout <seconds>', 'time limit per target, AssumeRole included (default: 60)')
    .option('--shard <i/n>', 'check only shard i of n (split by target name)')
    .option('--role-name <name>', "role to assume in each target's account when the rollout file names no drift role (it wins over the deploy role)")
    .option('--no-color', 'no colours in the human report')
    .option('--debug', 'print stack traces and causes of errors')
    .action(
      ctx.action(async (flags: Record<string, unknown>) => {
        const { driftCommand } = await import('../../drift/cli');
        return driftCommand(flags, ctx.io);
      }),
    );
}
