import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error';
import { appVersion } from '../app-version';
import { registerProjectCommands } from './commands/project-commands';
import { registerServeCommand } from './commands/serve-command';
import { registerMlCommands } from './commands/ml-commands';
import { registerSynthCommands } from './commands/synth-commands';
import { registerEvaluationCommands } from './commands/evaluation-commands';
import { registerReportCommands } from './commands/report-commands';
import { registerBenchCommand } from './commands/bench-command';
import { registerInteropCommands } from './commands/interop-commands';
import { registerBackupCommand } from './commands/backup-command';
import { registerExperimentCommands } from './commands/experiment-commands';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('hemaseg')
    .description('HemaSeg: segment blood-smear images (WBC cytoplasm, nucleus, edge), correct, retrain, compare, report.')
    .version(appVersion())
    .showHelpAfterError()
    .exitOverride();
  registerProjectCommands(program);
  registerServeCommand(program);
  registerMlCommands(program);
  registerSynthCommands(program);
  registerEvaluationCommands(program);
  registerReportCommands(program);
  registerBenchCommand(program);
  registerInteropCommands(program);
  registerBackupCommand(program);
  registerExperimentCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      console.error(`hemaseg: ${err.message}`);
      return err.exitCode;
    }
    console.error(`hemaseg: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}

// `hemaseg info x | head` closes stdout early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

main(process.argv).then((code) => {
  if (code !== 0) process.exit(code);
});
