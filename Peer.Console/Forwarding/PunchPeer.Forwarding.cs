using System.Net.Sockets;
using Punch.Core.Streams;
using Punch.Peer.Cli;
using Punch.Peer.Forwarding;
using Punch.Peer.Hosting;
using Punch.Peer.Output;
using Punch.Peer.Sessions;

namespace Punch.Peer;

/// <summary><c>punch expose</c> (peer-to-peer) and <c>punch forward</c>: a local TCP service published over the session's path, in end-to-end encrypted streams.</summary>
public sealed partial class PunchPeer
{
    /// <summary>Registers and hands every stream any introduced peer opens to <see cref="ExposeSettings.Local"/>, until cancelled.</summary>
    public Task<int> RunExposeAsync(ExposeSettings expose, CancellationToken cancellationToken) => ServeAsync(
        echoMessages: false,
        host =>
        {
            var service = new ExposeService(host, _events, expose, options.Time);
            host.SessionStarted += service.Attach;
            return service;
        },
        () => _events.Emit(new ExposingEvent(options.Name, expose.Local.ToString())),
        cancellationToken);

    /// <summary>Listens on <see cref="ForwardSettings.Listen"/> and turns each connection into a stream to <see cref="PeerRunOptions.Peer"/>'s service, until the peer goes or the run is cancelled.</summary>
    public async Task<int> RunForwardAsync(ForwardSettings forward, CancellationToken cancellationToken)
    {
        if (options.Validate(connect: true) is { } problem)
        {
            await options.Error.WriteLineAsync(problem);
            return ExitCodes.Usage;
        }

        // The listener first: a port in use fails the start before anything is registered.
        using var listener = new TcpListener(forward.Listen);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            await options.Error.WriteLineAsync($"--listen {forward.Listen} cannot be used: {e.Message}; pick another address or port.");
            return ExitCodes.Usage;
        }

        return await ForwardAsync(forward, listener, cancellationToken);
    }

    private async Task<int> ForwardAsync(ForwardSettings forward, TcpListener listener, CancellationToken cancellationToken)
    {
        var time = options.Time;
        long deadline = time.After(options.Timeout);
        var host = OpenHostUntil(deadline);
        if (host is null)
        {
            return ExitCodes.NoPath;
        }

        await using (host)
        {
            StreamCarrier? carrier = null;
            var targetSession = new TaskCompletionSource<PeerSession>(TaskCreationOptions.RunContinuationsAsynchronously);
            host.SessionStarted += session =>
            {
                if (session.PeerName == options.Peer && carrier is null)
                {
                    carrier = new StreamCarrier(session, host, StreamRole.Opener, forward.Streams, time);
                    session.Streams = carrier;
                    targetSession.TrySetResult(session);
                }
            };
            host.Start();
            try
            {
                if (await ReachPeerAsync(host, targetSession.Task, deadline, cancellationToken) is not { } session)
                {
                    return ExitCodes.NoPath;
                }

                if (await carrier!.Established.WaitAsync(cancellationToken) is { } failure)
                {
                    _events.Emit(new FailedEvent($"no stream connection with {session.PeerName}: {failure}", session.PeerName, session.Id));
                    return ExitCodes.NoPath;
                }

                _events.Emit(new StreamsUpEvent(session.PeerName, session.Id));
                _events.Emit(new ForwardingEvent(session.PeerName, session.Id, (System.Net.IPEndPoint)listener.LocalEndpoint));
                string reason = await new Forwarder(listener, carrier, _events).RunAsync(cancellationToken);
                _events.Emit(new FailedEvent($"forwarding to {session.PeerName} stopped: {reason} ({carrier.Statistics})", session.PeerName, session.Id));
                return ExitCodes.NoPath;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Success;
            }
            finally
            {
                await LeaveAsync(host);
            }
        }
    }
}
