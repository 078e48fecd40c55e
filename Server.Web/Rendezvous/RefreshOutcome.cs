using System.Collections.Immutable;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Punch.Server.Rendezvous;

public enum RefreshOutcome
{
    Refreshed,
    Unregistered,
    NotRegistered,
    AddressMismatch,
}
