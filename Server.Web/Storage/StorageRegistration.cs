using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Punch.Server.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// Registers the SQLite store: options (validated at start), a DbContext factory (the writer and
    /// the dashboard each open short-lived contexts), the queries shared by API and dashboard, and the
    /// initializer that migrates before the app serves, and the writer that stores published events.
    /// Call it before anything that uses the database, and before <c>AddRendezvous</c>: hosted services
    /// stop in reverse order, so the rendezvous stops publishing before the writer drains the queue.
    /// </summary>
    public static IHostApplicationBuilder AddPunchStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .Bind(builder.Configuration.GetSection("Storage"))
            .Configure(options => options.ConnectionString =
                builder.Configuration.GetConnectionString(StorageOptions.ConnectionStringName) ?? StorageOptions.DefaultConnectionString)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        builder.Services.AddDbContextFactory<PunchDbContext>((services, db) =>
        {
            var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            db.UseSqlite(options.ConnectionString)
              .AddInterceptors(new SqlitePragmas(options.BusyTimeout));
        });
        builder.Services.AddSingleton<PunchQueries>();
        builder.Services.AddSingleton<NatPairQueries>();
        builder.Services.AddSingleton<ActivityQueries>();
        builder.Services.AddSingleton<StorageStats>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<DatabaseInitializer>();
        // A singleton as well, so a test can run it at once instead of waiting for its interval.
        builder.Services.AddSingleton<EventPruner>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EventPruner>());
        builder.Services.AddHostedService<EventWriter>();
        return builder;
    }
}
