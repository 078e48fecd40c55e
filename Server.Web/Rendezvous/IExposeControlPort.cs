namespace Punch.Server.Rendezvous;

/// <summary>
/// The expose control port the rendezvous announces in its Register answers; null when the server offers no public ports.
/// Declared here and implemented by the Expose folder, which already depends on the rendezvous (its authentication).
/// </summary>
public interface IExposeControlPort
{
    ushort? AnnouncedControlPort { get; }
}
