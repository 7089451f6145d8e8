import type { Command } from 'commander';
import type { CliContext } from '../context';

export function registerConfigCommands(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('rollout file commands');
  config
    .command('validate [file]')
    .description('check a rollout file (default: $IDC_CMK_CONFIG or idc-cmk.yaml) and print every problem')
    .option('--format <format>', 'text or json', 'text')
    .action(
      ctx.action(async (file: string | undefined, options: { format?: string }) => {
        // Loaded lazily: the CLI starts without the config schema (and cdktf).
        const { runConfigValidate } = await import('../../config/cli');
        const { checkConstructs } = await import('../../app/check-constructs');
        return runConfigValidate(file, { ...options, checkConstructs }, ctx.io);
      }),
    );
}
