using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;
using Procexon.Testing;

namespace Procexon.Messaging.Tests;

/// <summary>Real PostgreSQL and RabbitMQ, started once for the collection, and the notes service running on them.</summary>
public sealed class MessagingFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    public RabbitMqServer Broker { get; private set; } = null!;

    public IHost Host { get; private set; } = null!;

    public DeliveryCounter Deliveries { get; } = new();

    public AfterCommitLog AfterCommit { get; } = new();

    public PinGate Pins { get; } = new();

    public SavepointCounter Savepoints { get; } = new();

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var broker = RabbitMqServer.StartAsync();
        Postgres = await postgres;
        Broker = await broker;

        Host = await NotesHost.StartAsync("notes-tests", new Dictionary<string, string?>
        {
            ["ConnectionStrings:notesdb"] = Postgres.ConnectionString("notesdb"),
            ["ConnectionStrings:messaging"] = Broker.Uri.ToString(),
            // A slow poll, so a test passing within seconds proves the commit itself woke the dispatcher.
            ["Outbox:FallbackInterval"] = "00:01:00",
            ["Outbox:PublishTimeout"] = "00:00:03",
            ["Outbox:MaxBackoff"] = "00:00:01",
            // The notes service exchanges no sealed message, so the key is optional: given, personal values on the broker are sealed.
            ["Messaging:TransitKey"] = ServiceHosts.TransitKey,
        },
            bus =>
            {
                bus.AddConsumer<RecordNoteWritten>();
                bus.AddConsumer<RecordNoteFlagged>();
                bus.AddBatchConsumer<RecordNotesTagged>();
                bus.AddBatchConsumer<RecordNotesPinned>();
                bus.AddBatchConsumer<RecordNotesArchived>();
                bus.AddConsumeObserver(_ => Deliveries);
            },
            options => options.AddInterceptors(Savepoints),
            services => services.AddSingleton(AfterCommit).AddSingleton(Pins).AddConnectionLog());
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.StopAsync();
            Host.Dispose();
        }

        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }

    public async Task<T> InScopeAsync<T>(Func<NotesContext, IEventOutbox, Task<T>> work)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<NotesContext>(), scope.ServiceProvider.GetRequiredService<IEventOutbox>());
    }

    public Task<int> EffectsOfAsync(Guid noteId) => Host.EffectsOfAsync([noteId]);

    public Task<int> EffectsOfAsync(IEnumerable<Guid> noteIds) => Host.EffectsOfAsync([.. noteIds]);

    public Task<int> OutboxRowsAsync() => Host.OutboxRowsAsync();

    /// <summary>
    /// Another notes service on the collection's servers, with a database and queues of its own, for a test that must
    /// do to its service what would disturb the shared one (drop its connection, stop its consumer).
    /// </summary>
    public Task<IHost> StartOwnServiceAsync(
        string serviceName,
        Action<IBusRegistrationConfigurator> consumers,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        Action<DbContextOptionsBuilder>? database = null) =>
        NotesHost.StartAsync(serviceName, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ConnectionStrings:notesdb"] = Postgres.ConnectionString(serviceName.Replace("-", "", StringComparison.Ordinal) + "db"),
            ["ConnectionStrings:messaging"] = Broker.Uri.ToString(),
        }, consumers, database, services);

    /// <summary>Polls until the condition holds; false if it still does not after the timeout.</summary>
    public static Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout) => Eventually.EventuallyAsync(condition, timeout);
}

[CollectionDefinition(Name)]
public sealed class MessagingCollection : ICollectionFixture<MessagingFixture>
{
    public const string Name = "Real PostgreSQL and RabbitMQ";
}
