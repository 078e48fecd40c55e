using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// A short job keeps a run near a minute on a shared 2-core machine; the figures are in docs/limits-benchmark.md.
var config = DefaultConfig.Instance.AddJob(Job.ShortRun).WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(Punch.Bench.AdmissionBenchmarks).Assembly).Run(args, config);
