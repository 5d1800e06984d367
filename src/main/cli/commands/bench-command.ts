import type { Command } from 'commander';
import { CliError } from '../cli-error';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('training and inference speed of the reference U-Net on this machine, beside PyTorch when /usr/bin/python3 has torch (`hemaseg bench --help`)')
    .helpOption(false)
    .allowUnknownOption()
    .argument('[options...]', 'benchmark options (see `hemaseg bench --help`)')
    .action(async (args: string[]) => {
      // Loaded on demand: TensorFlow is heavy and no other command needs it in this process.
      const { benchMain, BENCH_USAGE } = await import('../../ml/bench');
      if (args.includes('--help') || args.includes('-h')) {
        console.log(BENCH_USAGE);
        return;
      }
      const code = await benchMain(args);
      if (code !== 0) throw new CliError('benchmark failed', code);
    });
}
