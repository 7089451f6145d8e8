import type { Command } from 'commander';
import type { CliContext } from '../context';
import { IdcCmkError } from '../../core/errors';

export function registerLocalAwsCommand(program: Command, ctx: CliContext): void {
  program
    .command('local-aws')
    .description('run the local AWS-compatible endpoint')
    .action(ctx.action(async () => {
      throw new IdcCmkError('INTERNAL', 'local-aws is not implemented yet');
    }));
}
