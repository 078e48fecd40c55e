using Punch.Server.Api;
using Punch.Server.Dashboard;
using Punch.Server.Events;
using Punch.Server.Expose;
using Punch.Server.Hosting;
using Punch.Server.Hubs;
using Punch.Server.Relay;
using Punch.Server.Rendezvous;
using Punch.Server.Security;
using Punch.Server.Storage;
using Punch.Server.Telemetry;

// `dotnet run --project Server.Web -- hash-password` prints a value for Dashboard:AdminPasswordHash.
if (HashPasswordCommand.TryRun(args, out var exitCode))
{
    return exitCode;
}

// A refused start (a bad setting, a port in use) is one line on stderr and exit code 1, not a stack trace.
var guard = new StartupGuard(Console.Error);
return guard.Run(() =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = PublishedLayout.ContentRootOrDefault() });
    guard.Attach(builder);
    // Order matters: hosted services start in this order (the database is migrated first, then the
    // stored network keys are loaded before the rendezvous answers) and stop in reverse (the
    // rendezvous stops publishing before the event writer drains its queue).
    builder.AddPunchTelemetry();
    builder.AddPunchStorage();
    builder.AddPunchSecurity();
    builder.AddPunchEvents();
    builder.AddRendezvous();
    builder.AddRelay();
    builder.AddExpose();
    builder.AddPunchHubs();
    builder.AddPunchApi();
    builder.AddPunchDashboard();

    var app = builder.Build();
    guard.Attach(app);
    app.UsePunchErrorHandling();
    app.UsePunchDashboardAssets();
    app.UsePunchSecurity();
    app.MapPunchApi();
    app.MapPunchMetrics();
    app.MapPunchHubs();
    app.MapPunchDashboard();
    app.Run();
});

public partial class Program;
