using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Procexon.Messaging.Database;
using Procexon.Messaging.ErrorQueues;
using Procexon.Messaging.Housekeeping;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;
using Procexon.Messaging.Transit;
using RabbitMQ.Client;

namespace Procexon.Messaging;

public static class MessagingExtensions
{
    /// <summary>The Aspire resource name of the RabbitMQ broker every service references.</summary>
    public const string BrokerConnectionName = "messaging";

    /// <summary>The nodes of a clustered broker, <c>host:port,host:port,…</c> (the AppHost sets it with <c>Broker:Nodes=3</c>).</summary>
    public const string ClusterNodesSetting = "Messaging:Nodes";

    private static readonly Lock s_serializerGate = new();

    /// <summary>
    /// The service's own PostgreSQL database as <typeparamref name="TContext"/>: snake_case names, retries on transient
    /// failures, the outbox's commit signal, and Aspire's health check, logging and telemetry.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext>(
        this IHostApplicationBuilder builder, string connectionName, Action<DbContextOptionsBuilder>? configure = null)
        where TContext : DbContext
    {
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxCommitInterceptor>();
        builder.Services.AddSingleton<PreparedStatementReset>();
        builder.Services.TryAddTimeProvider();
        builder.Services.AddDbContextPool<TContext>((services, options) =>
        {
            // Read when the pool first builds a context: tests' configuration arrives after the builder's.
            var connectionString = new NpgsqlConnectionStringBuilder(
                builder.Configuration.GetConnectionString(connectionName)
                    ?? throw new InvalidOperationException($"Connection string '{connectionName}' is missing."))
            {
                // EF Core sends the same few statements over and over (inbox, outbox, the consumers' queries): prepared
                // once per connection, PostgreSQL stops parsing and planning them for every message (without it the
                // platform completed a third fewer erasures at saturation, docs/performance.md). A connection a command
                // failed on forgets them before it is pooled again (PreparedStatementReset, npgsql/npgsql#6391).
                MaxAutoPrepare = 64,
                AutoPrepareMinUsages = 2,

                // No service keeps session state on a pooled connection (the demo loader's advisory lock is released
                // in a finally), so the reset Npgsql otherwise sends with every reuse — five statements, over a
                // thousand times a minute under load (pg_stat_statements) — is work for nothing.
                NoResetOnClose = true,
            }.ConnectionString;
            options
                .UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure())
                .UseSnakeCaseNamingConvention()
                .AddInterceptors(services.GetRequiredService<OutboxCommitInterceptor>(), services.GetRequiredService<PreparedStatementReset>());
            configure?.Invoke(options);
        });
        builder.EnrichNpgsqlDbContext<TContext>(settings => settings.DisableRetry = true);

        builder.Services.AddSingleton(services => new ServiceDatabaseMigration<TContext>(
            services.GetRequiredService<IConfiguration>().GetConnectionString($"{connectionName}-owner"), configure,
            services.GetRequiredService<IConfiguration>().GetValue(Microsoft.AspNetCore.Builder.DatabaseMigrationSteps.MigratedBySeparateStepSetting, false)));
        builder.Services.AddSingleton<ServiceDatabaseMigrator<TContext>>();
        builder.Services.AddSingleton<IDatabaseMigrationStep>(services => services.GetRequiredService<ServiceDatabaseMigrator<TContext>>());
        builder.Services.AddHostedService(services => services.GetRequiredService<ServiceDatabaseMigrator<TContext>>());
        builder.Services.AddHealthChecks().AddCheck<ServiceDatabaseMigrator<TContext>>("database-migrated");
        return builder;
    }

    /// <summary>
    /// MassTransit over the Aspire-provided RabbitMQ connection, with the outbox dispatcher for <typeparamref name="TContext"/>.
    /// Receive endpoints are durable quorum queues named after the service, retried in-process, then moved to
    /// <c>&lt;queue&gt;_error</c> where an operator sees them. Personal values the service exchanges with the others travel
    /// sealed under <c>Messaging:TransitKey</c> (<see cref="PersonalValuesInTransit"/>).
    /// </summary>
    public static IHostApplicationBuilder AddServiceMessaging<TContext>(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator>? addConsumers = null,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? addEndpoints = null)
        where TContext : DbContext
    {
        var brokerUri = builder.Configuration.GetConnectionString(BrokerConnectionName)
            ?? throw new InvalidOperationException($"Connection string '{BrokerConnectionName}' is missing.");
        // A clustered broker (DESIGN §7): every node's host:port. The connection string names the first; when the node a
        // connection is on dies, it reconnects to the next one that answers.
        var clusterNodes = builder.Configuration.GetValue<string>(ClusterNodesSetting)?
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

        // Aspire's client gives the broker a health check and telemetry; MassTransit keeps its own connection.
        builder.AddRabbitMQClient(BrokerConnectionName, configureConnectionFactory: factory =>
        {
            if (clusterNodes.Length > 0)
            {
                var endpoints = clusterNodes.Select(node => AmqpTcpEndpoint.Parse(node)).ToList();
                factory.EndpointResolverFactory = _ => new ClusterEndpoints(endpoints);
            }
        });

        builder.Services.TryAddTimeProvider();
        builder.Services.AddSingleton(new PublishedEvents(serviceName));
        builder.Services.AddScoped<IEventOutbox, EventOutbox<TContext>>();
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Outbox");
        builder.Services.AddSingleton<BrokerConnectionRenewal>();
        builder.Services.AddHostedService<OutboxDispatcher<TContext>>();
        builder.Services.AddOptions<HousekeepingOptions>().BindConfiguration("Housekeeping");
        builder.Services.AddSingleton<MessagingHousekeeping<TContext>>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MessagingHousekeeping<TContext>>());

        builder.Services.AddSingleton<ConsumedQueues>();
        builder.Services.AddSingleton<ErrorQueues.ErrorQueues>();
        builder.Services.AddOptions<ConsumerWatchdogOptions>().BindConfiguration("Messaging:ConsumerWatchdog");
        builder.Services.AddHostedService<ConsumerWatchdog>();
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddReceiveEndpointObserver(services => services.GetRequiredService<ConsumedQueues>());
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            addConsumers?.Invoke(bus);
            bus.AddConfigureEndpointsCallback((_, _, endpoint) => endpoint.UseDurableDefaults());
            bus.UsingRabbitMq((context, rabbit) =>
            {
                // Read when the bus is built, so a service that needs the key and lacks it stops at start.
                if (TransitEncryption.For(serviceName, context.GetRequiredService<IConfiguration>()) is { } transitKey)
                {
                    PersonalValuesInTransit.Use(transitKey);
                    rabbit.SealPersonalValuesInTransit();
                }

                rabbit.Host(new Uri(brokerUri), host =>
                {
                    if (clusterNodes.Length > 0)
                    {
                        host.UseCluster(cluster => Array.ForEach(clusterNodes, cluster.Node));
                    }
                });
                addEndpoints?.Invoke(context, rabbit);
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary>
    /// What every receive endpoint gets, also those a service declares by hand: a durable quorum queue, and retries
    /// before the message moves to <c>&lt;queue&gt;_error</c>.
    /// </summary>
    public static void UseDurableDefaults(this IReceiveEndpointConfigurator endpoint)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
        }

        endpoint.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
    }

    /// <summary>
    /// MassTransit's serializer settings are the process's; the sealing converter goes first (before MassTransit's own
    /// factory, which would take a record too) and only once however many hosts the process builds.
    /// </summary>
    private static void SealPersonalValuesInTransit(this IRabbitMqBusFactoryConfigurator rabbit)
    {
        lock (s_serializerGate)
        {
            if (!MassTransit.Serialization.SystemTextJsonMessageSerializer.Options.Converters.OfType<SealedInTransitConverterFactory>().Any())
            {
                rabbit.ConfigureJsonSerializerOptions(options =>
                {
                    options.Converters.Insert(0, new SealedInTransitConverterFactory());
                    return options;
                });
            }
        }
    }

    /// <summary>The cluster's nodes in the order given, for a connection and its recovery alike: the first that answers is used.</summary>
    private sealed class ClusterEndpoints(IReadOnlyList<AmqpTcpEndpoint> endpoints) : IEndpointResolver
    {
        public IEnumerable<AmqpTcpEndpoint> All() => endpoints;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
