// Model-family options on the command line, generated from the registry's descriptions
// (src/main/ml/families): `train` gets one flag per option of any family, and a request
// takes the chosen family's options only. A new family's options appear here unedited.
import type { Command } from 'commander';
import type { FamilyOptionInfo, ModelConfig, ModelFamilyInfo, ModelSpec } from '../../../shared/ml';
import { DEFAULT_FAMILY } from '../../../shared/ml';
import { CliError } from '../cli-error';
import { familyInfos, optionList } from '../../ml/families/registry';

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Every flag any family takes, with the families that take it. */
function allFlags(families: ModelFamilyInfo[]): { option: FamilyOptionInfo; families: string[] }[] {
  const byFlag = new Map<string, { option: FamilyOptionInfo; families: string[] }>();
  for (const f of families) {
    for (const o of f.options) {
      const seen = byFlag.get(o.flag);
      if (seen) seen.families.push(f.id);
      else byFlag.set(o.flag, { option: o, families: [f.id] });
    }
  }
  return [...byFlag.values()];
}

function describeDefault(o: FamilyOptionInfo): string {
  return o.default === null ? '' : `; default ${o.default}`;
}

/** Adds --family, --variant and every family option (values are checked by the chosen family). */
export function addFamilyOptions(cmd: Command): Command {
  const families = familyInfos();
  cmd.option('--family <family>', `model family: ${families.map((f) => f.id).join(' | ')} (default ${DEFAULT_FAMILY}; \`hemaseg families\` lists their options)`);
  cmd.option('--variant <name>', `a family's preset (${families.flatMap((f) => f.variants.map((v) => v.name)).join(', ')})`);
  for (const { option: o, families: ids } of allFlags(families)) {
    // Choices are spelled out in the help text itself; numbers get their range.
    const values = o.type === 'choice' ? '' : o.type === 'int' ? `integer ${o.min ?? ''}..${o.max ?? ''}` : `number ${o.min ?? ''}..${o.max ?? ''}`;
    const detail = [values, describeDefault(o).replace(/^; /, '')].filter(Boolean).join('; ');
    const only = ids.length < families.length ? ` [${ids.join(', ')}]` : '';
    cmd.option(`--${o.flag} <value>`, `${o.help}${detail ? ` (${detail})` : ''}${only}`);
  }
  return cmd;
}

/** The flags of family options present in parsed options `o`. */
export function givenFamilyFlags(o: Record<string, unknown>): string[] {
  return allFlags(familyInfos()).map((x) => x.option.flag).filter((flag) => o[camel(flag)] !== undefined);
}

function coerce(family: ModelFamilyInfo, o: FamilyOptionInfo, raw: string): number | string {
  if (o.type === 'choice') {
    if (!o.choices?.includes(raw)) throw new CliError(`--${o.flag} must be one of ${o.choices?.join(', ')} for the ${family.id} family, got '${raw}'`, 2);
    return raw;
  }
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || (o.type === 'int' && !Number.isInteger(n))) throw new CliError(`--${o.flag} must be ${o.type === 'int' ? 'a whole number' : 'a number'}, got '${raw}'`, 2);
  if ((o.min !== undefined && n < o.min) || (o.max !== undefined && n > o.max)) throw new CliError(`--${o.flag} must be from ${o.min} to ${o.max} for the ${family.id} family, got '${raw}'`, 2);
  return n;
}

/**
 * The model spec of parsed `train` options: the family (default U-Net), its variant, and the
 * options given. An unknown family, or an option the family does not have, is refused here
 * with the family's options listed; the family checks the whole config before training.
 */
export function familySpecFromOptions(o: Record<string, unknown>): ModelSpec {
  const families = familyInfos();
  const id = (o.family as string | undefined) ?? DEFAULT_FAMILY;
  const family = families.find((f) => f.id === id);
  if (!family) throw new CliError(`--family: unknown model family '${id}' (families: ${families.map((f) => f.id).join(', ')})`, 2);
  const own = new Map(family.options.map((x) => [x.flag, x]));
  const config: ModelConfig = {};
  for (const flag of givenFamilyFlags(o)) {
    const opt = own.get(flag);
    if (!opt) throw new CliError(`--${flag}: the ${family.id} family has no such option; its options: ${optionList(family.options)}`, 2);
    config[opt.key] = coerce(family, opt, String(o[camel(flag)]));
  }
  const given = o.variant as string | undefined;
  // A variant may be named without its family prefix (`--family lstm-cnn --variant en-t-d2`).
  const variant = given !== undefined && !family.variants.some((v) => v.name === given) && family.variants.some((v) => v.name === `${family.id}-${given}`) ? `${family.id}-${given}` : given;
  if (variant !== undefined && !family.variants.some((v) => v.name === variant)) {
    throw new CliError(`--variant: the ${family.id} family has no variant '${variant}' (variants: ${family.variants.map((v) => v.name).join(', ')})`, 2);
  }
  return { family: family.id, config, ...(variant !== undefined ? { variant } : {}) };
}

/**
 * `train` accepts unknown flags so that this can refuse them with the chosen family's
 * options listed (commander would only say "unknown option"); a stray argument is refused too.
 */
export function refuseUnknownOptions(extra: string[], o: Record<string, unknown>): void {
  if (!extra.length) return;
  const families = familyInfos();
  const id = (o.family as string | undefined) ?? DEFAULT_FAMILY;
  const family = families.find((f) => f.id === id);
  const flag = extra.find((a) => a.startsWith('-'));
  if (!flag) throw new CliError(`train takes one project file; unexpected argument '${extra[0]}'`, 2);
  const name = flag.split('=')[0];
  throw new CliError(
    family
      ? `${name}: not an option of train, and the ${family.id} family has no such option; its options: ${optionList(family.options)} (\`hemaseg families\` lists every family's)`
      : `${name}: unknown option (see \`hemaseg train --help\`)`,
    2,
  );
}

export function registerFamiliesCommand(program: Command): void {
  program
    .command('families')
    .description('list the model families and their variants: options, tasks, input kind, parameter count at default settings')
    .option('--json', 'print as JSON', false)
    .action((o: { json: boolean }) => {
      const families = familyInfos();
      if (o.json) return console.log(JSON.stringify(families, null, 2));
      for (const f of families) {
        console.log(`${f.id}  ${f.label}  input ${f.inputKind}  tasks ${f.tasks.join(', ')}  ${f.paramCount.toLocaleString('en-US')} parameters at defaults${f.onnx ? '  ONNX export' : ''}`);
        console.log(`  ${f.summary}`);
        for (const v of f.variants) console.log(`  variant ${v.name}: ${v.label} (${v.paramCount.toLocaleString('en-US')} parameters)`);
        console.log('  options:');
        for (const x of f.options) {
          const values = x.type === 'choice' ? (x.choices ?? []).join('|') : `${x.min ?? ''}..${x.max ?? ''}`;
          console.log(`    --${x.flag} ${values}${x.default === null ? '' : ` (default ${x.default})`}  ${x.help}`);
        }
      }
    });
}
