import type { Backend } from '../../shared/domain';

/**
 * The backend the ML worker will pick, known without loading TensorFlow in this process:
 * native TF when @tensorflow/tfjs-node is installed, else wasm. The worker reports the real one.
 */
export function expectedBackend(): Backend {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return 'tensorflow';
  } catch {
    return 'wasm';
  }
}
