using System.Runtime.InteropServices;
using Punch.Peer.Cli;

// Ctrl+C and SIGTERM cancel the run instead of killing the process, so the peer can send Close
// frames and unregister (Refresh with LIFETIME 0) before it exits.
using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await PeerCommandLine.RunAsync(args, Console.Out, Console.Error, Console.In, stop.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
