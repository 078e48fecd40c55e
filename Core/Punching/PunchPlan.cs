using System.Net;
using Punch.Core.Protocol;

namespace Punch.Core.Punching;

/// <summary>The candidate pairs a session starts with, and how it explains a failure.</summary>
internal static class PunchPlan
{
    /// <summary>Linux (and most NATs) allocate from the unprivileged range when they cannot keep the port.</summary>
    private const int LowestPredictedPort = 1024;

    public static List<CandidatePair> CreatePairs(PunchSetup setup, PunchStrategy strategy, PunchOptions options, long started, Random random)
    {
        var pairs = FamilyPreference.Order(setup.RemoteCandidates).DistinctBy(c => c.EndPoint)
            .Select(c => new CandidatePair(0, c, started, options.InitialRetransmit))
            .ToList();
        var serverReflexive = setup.RemoteCandidates.Where(c => c.Kind == CandidateKind.ServerReflexive && FamilyPreference.IsPredictable(c)).Select(c => c.EndPoint).Distinct().ToList();
        if (strategy == PunchStrategy.OpenManySockets)
        {
            for (int socket = 1; socket <= options.PredictionSockets; socket++)
            {
                pairs.AddRange(serverReflexive.Select(e => new CandidatePair(socket, new Candidate(CandidateKind.ServerReflexive, e), started, options.PredictionRetransmit, isPrediction: true)));
            }
        }
        else if (strategy == PunchStrategy.SprayPorts)
        {
            foreach (var endPoint in serverReflexive)
            {
                var ports = new HashSet<int> { endPoint.Port };
                while (ports.Count <= options.PredictionProbes)
                {
                    int port = random.Next(LowestPredictedPort, ushort.MaxValue + 1);
                    if (ports.Add(port))
                    {
                        var guess = new Candidate(CandidateKind.PeerReflexive, new IPEndPoint(endPoint.Address, port));
                        pairs.Add(new CandidatePair(0, guess, started, options.PredictionRetransmit, isProbe: true));
                    }
                }
            }
        }

        return pairs;
    }

    public static string DescribeFailure(PunchStrategy strategy, List<CandidatePair> pairs, PunchOptions options, int checksSent, int checksReceived)
    {
        var regular = pairs.Where(p => p.Socket == 0 && !p.IsProbe).ToList();
        if (regular.Count == 0 && strategy == PunchStrategy.Regular)
        {
            return "the peer offered no candidates: it may have no usable network address";
        }

        string tried = string.Join(", ", regular.Select(p => p.Remote.ToString()));
        string summary = $"no path within {options.Timeout.TotalSeconds:0.#} s after {checksSent} checks to {regular.Count} candidate(s) ({tried}); {checksReceived} check(s) arrived from the peer";
        string prediction = strategy switch
        {
            PunchStrategy.OpenManySockets => $"; you are behind a symmetric NAT and {options.PredictionSockets} sockets waited for the peer's probes without a hit (its NAT may filter or rate-limit them)",
            PunchStrategy.SprayPorts => $"; the peer is behind a symmetric NAT and {options.PredictionProbes} probes of its ports found none of its sockets",
            _ => string.Empty,
        };

        if (checksReceived == 0 && !pairs.Any(p => p.ResponseReceived))
        {
            return summary + prediction + ": nothing got through in either direction; the NATs on both sides filter unsolicited packets or the peer is offline";
        }

        return (checksReceived > 0 && !pairs.Any(p => p.ResponseReceived)
            ? summary + ": the peer's checks reach us but ours never reach it, so its NAT maps or filters per destination"
            : summary + ": checks got through only one way at a time") + prediction;
    }
}
