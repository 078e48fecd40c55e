using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Punch.Server.Events;

namespace Punch.Server.Expose;

/// <summary>What every exposed service needs from the server.</summary>
public sealed record ExposeDependencies(ExposeOptions Options, ExposeRegistry Registry, ExposeRefusals Refusals, IPunchEventSink Events, TimeProvider Time, ILogger Logger);
