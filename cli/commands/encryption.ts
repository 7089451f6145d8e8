import type { Command } from 'commander';
import type { CliContext } from '../context';
import { IdcCmkError } from '../../core/errors';

export function registerEncryptionCommands(program: Command, ctx: CliContext): void {
  program
    .command('encryption')
    .description('switch the instance encryption (apply, revert, status)')
    .action(ctx.action(async () => {
      throw new IdcCmkError('INTERNAL', 'encryption is not implemented yet');
    }));
}
