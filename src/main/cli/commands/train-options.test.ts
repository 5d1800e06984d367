// `hemaseg train` flags of the seeds' training options, parsed by the real command definition
// (its action replaced so nothing trains): validation every K steps, the stopping rule, the
// optimiser, gradient clipping, and the families' initialisation options.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { TrainRequest } from '../../../shared/ml';
import { buildRequest, registerMlCommands } from './ml-commands';

function parseTrain(args: string[]): TrainRequest {
  const program = new Command().exitOverride();
  registerMlCommands(program);
  const train = program.commands.find((c) => c.name() === 'train')!;
  let request: TrainRequest | null = null;
  train.exitOverride().action((_path: string, o: Parameters<typeof buildRequest>[0]) => {
    request = buildRequest(o);
  });
  program.parse(['node', 'hemaseg', 'train', 'p.hemaseg', '--name', 'm', ...args]);
  if (!request) throw new Error('train did not run');
  return request;
}

describe('hemaseg train: the seeds training options', () => {
  it('parses --validate-every, --stop-rule and --patience (seed 000: every 40 steps, 100 increases)', () => {
    const r = parseTrain(['--validate-every', '40', '--stop-rule', 'consecutive-increases', '--patience', '100', '--optimizer', 'rmsprop', '--clip-norm', '1']);
    expect(r).toMatchObject({ validateEvery: 40, stopRule: 'consecutive-increases', patience: 100, optimizer: 'rmsprop', clipNorm: 1 });
  });

  it('leaves them out when not given, so a request reads as before (per-epoch validation, no-improvement)', () => {
    const r = parseTrain([]);
    expect(r).not.toHaveProperty('validateEvery');
    expect(r).not.toHaveProperty('stopRule');
    expect(r).not.toHaveProperty('optimizer');
    expect(r.patience).toBe(10);
    expect(parseTrain(['--stop-rule', 'no-improvement'])).not.toHaveProperty('stopRule');
  });

  it('passes the initialisation options to the chosen family and refuses bad values', () => {
    expect(parseTrain(['--init', 'xavier', '--bias-init', '0.1']).model).toEqual({ family: 'unet', config: { init: 'xavier', biasInit: 0.1 } });
    expect(parseTrain(['--family', 'deconvnet', '--init', 'normal', '--bias-init', '0.1']).model).toEqual({ family: 'deconvnet', config: { init: 'normal', biasInit: 0.1 } });
    expect(() => parseTrain(['--family', 'segnet', '--bias-init', '0.1'])).toThrow(/--bias-init: the segnet family has no such option/);
    expect(() => parseTrain(['--init', 'zeros'])).toThrow(/--init must be one of he, xavier, normal/);
    expect(() => parseTrain(['--validate-every', '0'])).toThrow(/--validate-every must be a whole number from 1/);
    expect(() => parseTrain(['--stop-rule', 'sometimes'])).toThrow(/--stop-rule must be one of no-improvement, consecutive-increases/);
  });
});

describe('hemaseg train: the learning rate without --lr', () => {
  it("takes the family's rate for the network: the LSTM-CNN report's per network, the U-LSTM paper's, else the common default", () => {
    expect(parseTrain(['--family', 'lstm-cnn', '--variant', 'en-t-d2']).lr).toBe(0.005);
    expect(parseTrain(['--family', 'lstm-cnn', '--variant', 'cnn-en-t']).lr).toBe(0.001);
    expect(parseTrain(['--family', 'lstm-cnn', '--variant', 'ende-p']).lr).toBe(0.01);
    expect(parseTrain(['--family', 'u-lstm']).lr).toBe(1e-4);
    expect(parseTrain([]).lr).toBe(1e-4);
    expect(parseTrain(['--family', 'lstm-cnn', '--variant', 'en-t-d2', '--lr', '0.02']).lr).toBe(0.02);
  });
});
