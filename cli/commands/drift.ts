import type { Command } from 'commander';
import type { CliContext } from '../context';
import { IdcCmkError } from '../../core/errors';

export function registerDriftCommand(program: Command, ctx: CliContext): void {
  program
    .command('drift')
    .description('detect drift between Terraform state and the live key and instance')
    .action(ctx.action(async () => {
      throw new IdcCmkError('INTERNAL', 'drift is not implemented yet');
    }));
}
