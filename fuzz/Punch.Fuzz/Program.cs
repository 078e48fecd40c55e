using Punch.Fuzz;

// punch-fuzz TARGET                 run under afl-fuzz (SharpFuzz fork server; outside AFL: one input from stdin)
// punch-fuzz list                   the targets
// punch-fuzz seed CORPUS_DIR        (re)write the seed files of every target
// punch-fuzz smoke CORPUS_DIR [N]   in-process: corpus + N mutations (default 5000) per target, with execs/s
// punch-fuzz replay TARGET FILE...  run inputs (e.g. saved crashes) and print what they throw
const int MaxInput = 64 * 1024;

switch (args)
{
    case ["list"]:
        foreach (var target in FuzzTargets.All)
        {
            Console.WriteLine($"{target.Name,-22} {target.Describes}");
        }

        return 0;
    case ["seed", var root]:
        Console.WriteLine($"wrote {CorpusFolder.WriteSeeds(root)} seed files under {root}");
        return 0;
    case ["smoke", var root, ..]:
        {
            int mutations = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5000;
            var results = FuzzTargets.All.Select(t => SmokeRun.Run(t, CorpusFolder.Load(root, t.Name), t.SmokeMutationsWithin(mutations), seed: 1)).ToList();
            results.ForEach(Console.WriteLine);
            return results.Any(r => r.Failure is not null) ? 1 : 0;
        }

    case ["replay", var name, .. var files]:
        {
            var target = FindOrExplain(name);
            if (target is null)
            {
                return 2;
            }

            int failures = 0;
            foreach (var file in files)
            {
                try
                {
                    target.Run(File.ReadAllBytes(file));
                    Console.WriteLine($"{file}: ok");
                }
                catch (Exception exception)
                {
                    failures++;
                    Console.WriteLine($"{file}: {exception}");
                }
            }

            return failures == 0 ? 0 : 1;
        }

    case [var name]:
        {
            var target = FindOrExplain(name);
            if (target is null)
            {
                return 2;
            }

            // Persistent mode: one process runs many inputs; AFL++ restarts it only after a crash.
            SharpFuzz.Fuzzer.Run(stream =>
            {
                using var memory = new MemoryStream();
                var buffer = new byte[4096];
                int read;
                while (memory.Length < MaxInput && (read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    memory.Write(buffer, 0, read);
                }

                target.Run(memory.ToArray());
            });
            return 0;
        }

    default:
        Console.Error.WriteLine("usage: punch-fuzz TARGET | list | seed CORPUS_DIR | smoke CORPUS_DIR [MUTATIONS] | replay TARGET FILE...");
        return 2;
}

static FuzzTarget? FindOrExplain(string name)
{
    var target = FuzzTargets.Find(name);
    if (target is null)
    {
        Console.Error.WriteLine($"no fuzz target '{name}'; the targets are: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
    }

    return target;
}
