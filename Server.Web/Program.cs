using Punch.Server.Api;
using Punch.Server.Dashboard;
using Punch.Server.Events;
using Punch.Server.Hosting;
using Punch.Server.Hubs;
using Punch.Server.Rendezvous;
using Punch.Server.Storage;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = PublishedLayout.ContentRootOrDefault() });
// Order matters: hosted services start in this order (the database is migrated first) and stop in
// reverse (the rendezvous stops publishing before the event writer drains its queue).
builder.AddPunchStorage();
builder.AddPunchEvents();
builder.AddRendezvous();
builder.AddPunchHubs();
builder.AddPunchApi();
builder.AddPunchDashboard();

var app = builder.Build();
app.MapPunchApi();
app.MapPunchHubs();
app.MapPunchDashboard();
app.Run();

public partial class Program;
