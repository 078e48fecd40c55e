using Punch.Server.Events;

namespace Punch.Server.Expose;

/// <summary>What every exposed service needs from the server.</summary>
public sealed record ExposeDependencies(ExposeOptions Options, ExposeRegistry Registry, ExposeRefusals Refusals, IPunchEventSink Events, TimeProvider Time, ILogger Logger);
