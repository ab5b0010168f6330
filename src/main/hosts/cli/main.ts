/**
 * `normlab`: the terminal host. It parses arguments and prints; every action is a call into
 * src/main/api. Exit codes: 0 success, 1 a run that ended failed or diverged / an internal error,
 * 2 a user error (bad arguments, config, data, unknown run id), 130 interrupted.
 */
import { Command, CommanderError } from 'commander';
import { isUserError } from '../../../shared/errors';
import { registerDataCommands } from './commands/dataCommands';
import { registerFigureCommands } from './commands/figureCommands';
import { registerReproduceCommands } from './commands/reproduceCommands';
import { registerRunCommands } from './commands/runCommands';
import { registerInfoCommands } from './commands/infoCommands';
import { registerSettingsCommands } from './commands/settingsCommands';
import { registerSliceCommands } from './commands/sliceCommands';
import { registerServeCommand } from './commands/serveCommand';

export function buildProgram(): Command {
  const program = new Command('normlab')
    .description(
      'Train the networks of "How Does Batch Normalization Help Optimization?" and keep every run.',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerRunCommands(program);
  registerInfoCommands(program);
  registerFigureCommands(program);
  registerReproduceCommands(program);
  registerDataCommands(program);
  registerSettingsCommands(program);
  registerSliceCommands(program);
  registerServeCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isUserError(e)) {
      process.stderr.write(`normlab: ${e.message}\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`normlab: internal error: ${err.message}\n`);
    if (process.env['NORMLAB_DEBUG']) process.stderr.write(`${err.stack ?? ''}\n`);
    else process.stderr.write('(set NORMLAB_DEBUG=1 for the stack trace; please report it)\n');
    return 1;
  }
}
