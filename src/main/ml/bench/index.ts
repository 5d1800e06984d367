// Benchmark entry points for the CLI (`hemaseg bench`, `npm run bench`).
export {
  BENCH_USAGE,
  benchMain,
  formatBenchmark,
  runBenchmark,
  runTorchReference,
  TARGET_RATIOS,
  type BenchmarkOptions,
  type BenchmarkResult,
  type KernelTime,
  type TorchResult,
} from './benchmark';
