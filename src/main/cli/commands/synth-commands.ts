import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, oneOf, parseIntOption } from '../cli-error';
import { openForCli } from '../open-project';
import { ProgressBar } from '../progress-bar';
import { importFlow, importSmears, writeFlowFolder, writeSmearFolder } from '../../synth/write-synth';
import { writeMovingCellsFolder } from '../../synth/moving-cells/write-moving-cells';
import type { DifficultyClass } from '../../../shared/domain';

/** A target ending in .hemaseg (or an existing project file) is a project; anything else a folder. */
const isProject = (target: string): boolean => target.endsWith('.hemaseg');

function parseClasses(value: string): DifficultyClass[] {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (!list.length || list.some((n) => !Number.isInteger(n) || n < 1 || n > 8)) throw new CliError(`--classes must be a comma-separated list of 1-8, got '${value}'`, 2);
  return list as DifficultyClass[];
}

export function registerSynthCommands(program: Command): void {
  const synth = program.command('synth').description('generate synthetic smear images or the RBC flow film');

  synth
    .command('smear')
    .description('stained smear images with exact ground truth (label map, instances, difficulty class)')
    .argument('<target>', 'output folder, or a project file (.hemaseg) to import into')
    .requiredOption('--count <n>', 'number of images', parseIntOption('count', 1, 100_000))
    .option('--size <px>', 'image side in pixels', parseIntOption('size', 32, 4096), 128)
    .option('--classes <list>', 'difficulty classes to generate, e.g. 1,4,8', parseClasses, [1, 2, 3, 4, 5, 6, 7, 8] as DifficultyClass[])
    .option('--palette <name>', 'yellow | purple | both', oneOf('palette', ['yellow', 'purple', 'both'] as const), 'both')
    .option('--seed <k>', 'random seed', parseIntOption('seed', 0), 1)
    .option('--json', 'print a JSON summary', false)
    .action(async (target: string, o: { count: number; size: number; classes: DifficultyClass[]; palette: 'yellow' | 'purple' | 'both'; seed: number; json: boolean }) => {
      const bar = new ProgressBar('generating', o.json);
      const opts = { count: o.count, size: o.size, classes: o.classes, palette: o.palette, seed: o.seed };
      if (isProject(target)) {
        const p = openForCli(target, { create: !existsSync(target) });
        try {
          const r = await importSmears(p, opts, (d) => bar.update(d, o.count));
          bar.done();
          if (o.json) console.log(JSON.stringify({ target: p.path, imported: r.imported, duplicates: r.duplicates }));
          else console.log(`imported ${r.imported} generated smears into ${p.path} (${r.duplicates} were already there)`);
        } finally {
          p.close();
        }
      } else {
        const r = await writeSmearFolder(target, opts, (d) => bar.update(d, o.count));
        bar.done();
        if (o.json) console.log(JSON.stringify({ target, files: r.files }));
        else console.log(`wrote ${r.files} smears to ${target}/images (+ masks/, labels/, images/classes.csv); import with: hemaseg import PROJECT ${target}/images --masks ${target}/masks`);
      }
    });

  synth
    .command('flow')
    .description('the simulated film of flowing red blood cells (ground-truth film and rendered film)')
    .argument('<target>', 'output folder, or a project file (.hemaseg) to import into as an image sequence')
    .option('--frames <n>', 'number of frames', parseIntOption('frames', 1, 100_000), 500)
    .option('--size <px>', 'frame side in pixels', parseIntOption('size', 16, 2048), 128)
    .option('--cells <n>', 'number of cells', parseIntOption('cells', 1, 10_000), 40)
    .option('--seed <k>', 'random seed of film 1 (film k uses seed + k - 1)', parseIntOption('seed', 0), 1)
    .option('--films <n>', 'films to make, each with its own seed', parseIntOption('films', 1, 100), 2)
    .option('--json', 'print a JSON summary', false)
    .action(async (target: string, o: { frames: number; size: number; cells: number; seed: number; films: number; json: boolean }) => {
      const bar = new ProgressBar('simulating', o.json);
      const params = { frames: o.frames, size: o.size, cells: o.cells, seed: o.seed };
      const total = o.frames * o.films;
      if (isProject(target)) {
        const p = openForCli(target, { create: !existsSync(target) });
        try {
          const r = await importFlow(p, params, (d) => bar.update(d, total), { films: o.films });
          bar.done();
          if (o.json) console.log(JSON.stringify({ target: p.path, sequences: r.sequences, imported: r.imported, duplicates: r.duplicates, masks: r.masksImported }));
          else console.log(`imported ${r.imported} frames into ${p.path} as sequences ${r.sequences.join(', ')} (seed 000's split; ${r.masksImported} labelled frames, the others unused)`);
        } finally {
          p.close();
        }
      } else {
        await writeFlowFolder(target, params, (d) => bar.update(d, total), { films: o.films });
        bar.done();
        if (o.json) console.log(JSON.stringify({ target, films: o.films, frames: o.frames }));
        else {
          console.log(`wrote ${o.films} films of ${o.frames} frames to ${target}/film1..${o.films} (frames/ as 16-bit PNG, truth/, film.json)`);
          console.log(`import one with: hemaseg import PROJECT ${target}/film1/frames --as-sequence rbc-flow-film1 --protocol seed000 --masks ${target}/film1/truth`);
        }
      }
    });

  synth
    .command('moving-cells')
    .description('sequences of touching, moving cells with instance labels (bg / cell / edge masks), for the U-LSTM edge-loss experiment (seed001)')
    .argument('<out>', 'output folder')
    .option('--sequences <n>', 'number of sequences', parseIntOption('sequences', 1, 1000), 6)
    .option('--frames <n>', 'frames per sequence', parseIntOption('frames', 1, 10_000), 20)
    .option('--size <px>', 'frame side in pixels', parseIntOption('size', 16, 2048), 64)
    .option('--seed <k>', 'random seed', parseIntOption('seed', 0), 1)
    .option('--json', 'print a JSON summary', false)
    .action(async (out: string, o: { sequences: number; frames: number; size: number; seed: number; json: boolean }) => {
      const bar = new ProgressBar('generating', o.json);
      const r = await writeMovingCellsFolder(out, o, (d) => bar.update(d, o.sequences * o.frames));
      bar.done();
      if (o.json) console.log(JSON.stringify({ target: out, sequences: r.sequences, frames: r.frames }));
      else {
        console.log(`wrote ${r.sequences.length} sequences of ${o.frames} frames to ${out}/seq-*/ (frames/, masks/ as index 0/1/3 = background/cell/edge, instances/)`);
        console.log(`import one with: hemaseg import PROJECT ${out}/${r.sequences[0]}/frames --as-sequence ${r.sequences[0]} --masks ${out}/${r.sequences[0]}/masks --mask-convention index`);
      }
    });
}
