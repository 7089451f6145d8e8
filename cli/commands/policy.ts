import type { Command } from 'commander';
import type { CliContext } from '../context';
import { IdcCmkError } from '../../core/errors';

export function registerPolicyCommands(program: Command, ctx: CliContext): void {
  program
    .command('policy')
    .description('key policy commands')
    .action(ctx.action(async () => {
      throw new IdcCmkError('INTERNAL', 'policy is not implemented yet');
    }));
}
