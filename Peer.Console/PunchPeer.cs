using Punch.Core.Protocol;
using Punch.Peer.Cli;
using Punch.Peer.Hosting;
using Punch.Peer.Output;
using Punch.Peer.Sessions;

namespace Punch.Peer;

/// <summary>
/// A peer, runnable in-process: <see cref="RunConnectAsync"/> is <c>punch connect</c>,
/// <see cref="RunListenAsync"/> is <c>punch listen</c>. Both return the process exit code
/// (<see cref="ExitCodes"/>) and report what happens as <see cref="PeerEvent"/>s.
/// </summary>
public sealed partial class PunchPeer(PeerRunOptions options)
{
    private static readonly TimeSpan UnregisterWait = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DeliveryPoll = TimeSpan.FromMilliseconds(50);

    private readonly IPeerEventSink _events = CreateSink(options);

    /// <summary>Registers, asks for <see cref="PeerRunOptions.Peer"/>, punches, then pings (<see cref="PeerRunOptions.Count"/>) or chats over <see cref="PeerRunOptions.Input"/>.</summary>
    public async Task<int> RunConnectAsync(CancellationToken cancellationToken)
    {
        if (options.Validate(connect: true) is { } problem)
        {
            await options.Error.WriteLineAsync(problem);
            return ExitCodes.Usage;
        }

        var time = options.Time;
        long deadline = time.After(options.Timeout);
        var host = OpenHostUntil(deadline);
        if (host is null)
        {
            return ExitCodes.NoPath;
        }

        await using (host)
        {
            var targetSession = new TaskCompletionSource<PeerSession>(TaskCreationOptions.RunContinuationsAsynchronously);
            host.SessionStarted += session =>
            {
                if (session.PeerName == options.Peer)
                {
                    targetSession.TrySetResult(session);
                }
            };
            host.Start();
            var run = new ConnectRun();
            try
            {
                return await ConnectAsync(host, targetSession.Task, deadline, run, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C ends a chat normally; anything else it interrupts did not get done.
                return run.DoneOnInterrupt ? ExitCodes.Success : ExitCodes.NoPath;
            }
            finally
            {
                await LeaveAsync(host);
            }
        }
    }

    /// <summary>Registers and serves every introduced peer (answers pings, echoes lines) until cancelled.</summary>
    public Task<int> RunListenAsync(CancellationToken cancellationToken) => ServeAsync(echoMessages: true, _ => null, registered: null, cancellationToken);

    /// <summary>
    /// Registers and serves introduced peers until cancelled (<c>listen</c>, <c>expose</c>):
    /// <paramref name="attach"/> hooks a feature to the host before it starts and returns what to
    /// dispose before leaving; <paramref name="registered"/> runs once the server accepted us.
    /// </summary>
    private async Task<int> ServeAsync(bool echoMessages, Func<PeerHost, IAsyncDisposable?> attach, Action? registered, CancellationToken cancellationToken)
    {
        if (options.Validate(connect: false) is { } problem)
        {
            await options.Error.WriteLineAsync(problem);
            return ExitCodes.Usage;
        }

#pragma warning disable CA2000 // disposed by the `await using (host)` below; the null check between cannot throw
        var host = OpenHost(() => options.Punch, echoMessages);
#pragma warning restore CA2000
        if (host is null)
        {
            return ExitCodes.NoPath;
        }

        await using (host)
        {
            var feature = attach(host);
            host.Start();
            try
            {
                if (!await RegisterAsync(host, cancellationToken))
                {
                    return ExitCodes.NoPath;
                }

                registered?.Invoke();
                await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, options.Time, cancellationToken);
                return ExitCodes.Success;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Success;
            }
            finally
            {
                if (feature is not null)
                {
                    await feature.DisposeAsync();
                }

                await LeaveAsync(host);
            }
        }
    }

    /// <summary>Registers, asks the server for <see cref="PeerRunOptions.Peer"/> and waits for the session's first path; null (the reason emitted) when any step fails.</summary>
    private async Task<PeerSession?> ReachPeerAsync(PeerHost host, Task<PeerSession> targetSession, long deadline, CancellationToken cancellationToken)
    {
        var time = options.Time;
        if (!await RegisterAsync(host, cancellationToken))
        {
            return null;
        }

        var connect = await host.ConnectAsync(options.Peer!).WaitAsync(cancellationToken);
        if (!connect.Succeeded)
        {
            _events.Emit(new FailedEvent(connect.FailureReason!, options.Peer));
            return null;
        }

        if (connect.Status == ConnectStatus.WaitingForPeer && !targetSession.IsCompleted)
        {
            _events.Emit(new WaitingEvent(options.Peer!));
        }

        PeerSession session;
        try
        {
            session = await targetSession.WaitAsync(time.Until(deadline), time, cancellationToken);
        }
        catch (TimeoutException)
        {
            _events.Emit(new FailedEvent($"{options.Peer} did not show up within {options.Timeout.TotalSeconds:0.#} s", options.Peer));
            return null;
        }

        // The session's own punch timeout ends this wait; the margin only guards against a bug leaving it pending.
        return await session.PathReady.WaitAsync(time.Until(deadline) + TimeSpan.FromSeconds(5), time, cancellationToken) ? session : null;
    }

    private async Task<int> ConnectAsync(PeerHost host, Task<PeerSession> targetSession, long deadline, ConnectRun run, CancellationToken cancellationToken)
    {
        if (await ReachPeerAsync(host, targetSession, deadline, cancellationToken) is not { } session)
        {
            return ExitCodes.NoPath;
        }

        if (options.Count is { } count)
        {
            return await PingAsync(host, session, count, cancellationToken);
        }

        run.DoneOnInterrupt = true;
        return await ChatAsync(host, session, cancellationToken);
    }

    private async Task<int> PingAsync(PeerHost host, PeerSession session, int count, CancellationToken cancellationToken)
    {
        var time = options.Time;
        var longest = (options.Interval * count) + PingTracker.AnswerTimeout + TimeSpan.FromSeconds(5);
        var summary = await host.Invoke(() => session.StartPings(count, options.Interval)).WaitAsync(longest, time, cancellationToken);

        // Keep answering the other side's pings for a while, unless it has already said goodbye.
        await Task.WhenAny(session.Ended, Task.Delay(options.Linger, time, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        if (summary.Received == 0)
        {
            _events.Emit(new FailedEvent($"none of {summary.Sent} ping(s) to {session.PeerName} was answered", session.PeerName, session.Id));
            return ExitCodes.NoPath;
        }

        return ExitCodes.Success;
    }

    private async Task<int> ChatAsync(PeerHost host, PeerSession session, CancellationToken cancellationToken)
    {
        var cancelled = Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, options.Time, cancellationToken);
        while (true)
        {
            // A dedicated thread: Console.In reads block and ignore cancellation, so the read must not hold up shutdown.
            var read = Task.Factory.StartNew(options.Input.ReadLine, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var first = await Task.WhenAny(read, session.Ended, cancelled);
            cancellationToken.ThrowIfCancellationRequested();
            if (first == session.Ended)
            {
                return session.ClosedByPeer ? ExitCodes.Success : ExitCodes.NoPath;
            }

            string? line = await read;
            if (line is null)
            {
                break;
            }

            if (host.Invoke(() => session.SendMessage(line)) is { } problem)
            {
                _events.Emit(new WarningEvent($"not sent: {problem}"));
            }
        }

        // End of input: give the last lines a moment to be acknowledged before saying goodbye.
        long giveUpAt = options.Time.After(DeliveryWait);
        while (host.Invoke(() => session.UnacknowledgedMessages) > 0 && !session.IsEnded && !options.Time.HasPassed(giveUpAt))
        {
            await Task.Delay(DeliveryPoll, options.Time, cancellationToken);
        }

        return ExitCodes.Success;
    }

    private async Task<bool> RegisterAsync(PeerHost host, CancellationToken cancellationToken)
    {
        var result = await host.Invoke(host.Registration.RegisterAsync).WaitAsync(cancellationToken);
        if (!result.Succeeded)
        {
            _events.Emit(new FailedEvent(result.FailureReason!));
        }

        return result.Succeeded;
    }

    private async Task LeaveAsync(PeerHost host)
    {
        bool wasRegistered = host.Invoke(() => host.Registration.PublicEndPoint is not null);
        await host.ShutdownAsync($"{options.Name} is leaving", UnregisterWait);
        if (wasRegistered)
        {
            _events.Emit(new ClosedEvent($"{options.Identity} left the server"));
        }
    }

    /// <summary>A host for a run towards one peer: the punch may use whatever is left of --timeout when the introduction arrives.</summary>
    private PeerHost? OpenHostUntil(long deadline) =>
        OpenHost(() => options.Punch with { Timeout = Max(options.Time.Until(deadline), TimeSpan.FromSeconds(1)) }, echoMessages: false);

    private PeerHost? OpenHost(Func<Core.Punching.PunchOptions> sessionOptions, bool echoMessages)
    {
        try
        {
            byte[]? networkKey = options.Key is { } key ? MessageAuthentication.DeriveKey(options.Network, key) : null;
            var host = PeerHost.Open(new PeerHostSettings(
                options.Server, options.Identity, options.Bind, options.Time, _events, sessionOptions, echoMessages, networkKey, options.Paths, options.LoseTraffic,
                PortMapping: options.EffectivePortMapping));
            options.HostOpened?.Invoke(host);
            return host;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            _events.Emit(new FailedEvent($"cannot open a UDP socket on {options.Bind}: {e.Message}"));
            return null;
        }
    }

    private static IPeerEventSink CreateSink(PeerRunOptions options)
    {
        IPeerEventSink writer = options.Json ? new JsonLinesSink(options.Output) : new HumanSink(options.Output, options.Error);
        return options.OnEvent is null ? writer : new FanOutSink([writer, new CallbackSink(options.OnEvent)]);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>What an interruption means depends on how far the run got.</summary>
    private sealed class ConnectRun
    {
        public bool DoneOnInterrupt { get; set; }
    }
}
