using Punch.Server.Rendezvous;

var builder = WebApplication.CreateBuilder(args);
builder.AddRendezvous();
var app = builder.Build();
app.Run();

public partial class Program;
