import type { Command } from 'commander';
import type { CliContext } from '../context';
import { IdcCmkError } from '../../core/errors';

export function registerConfigCommands(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('rollout file commands');
  config
    .command('validate [file]')
    .description('check a rollout file (default: $IDC_CMK_CONFIG or idc-cmk.yaml) and print every problem')
    .action(ctx.action(async () => {
      throw new IdcCmkError('INTERNAL', 'config validate is not implemented yet');
    }));
}
