using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Procexon.Messaging;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.Messaging.Tests;

/// <summary>A tiny service for the tests: notes are written with an event, and a consumer records each event's effect.</summary>
public sealed class NotesContext(DbContextOptions<NotesContext> options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();

    public DbSet<NoteEffect> Effects => Set<NoteEffect>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Note>().HasKey(n => n.Id);
        modelBuilder.Entity<NoteEffect>().HasKey(e => e.Id);
        modelBuilder.AddOutboxAndInbox();
    }
}

public sealed class Note
{
    public required Guid Id { get; init; }

    public required string Text { get; init; }
}

/// <summary>One row per time a consumer applied a <see cref="NoteWritten"/>: more than one row for a note is a duplicate effect.</summary>
public sealed class NoteEffect
{
    public required Guid Id { get; init; }

    public required Guid NoteId { get; init; }

    /// <summary>The trace the consumer ran in, to prove that a flow stays one trace across the broker.</summary>
    public string? TraceId { get; init; }

    /// <summary>How many messages the batch consumer handled in the transaction that wrote this effect; null for the single consumer.</summary>
    public int? BatchSize { get; init; }

    /// <summary>The transaction of the batch consumer that wrote this effect; null where no test asks.</summary>
    public Guid? BatchId { get; init; }
}

public sealed record NoteWritten(Guid NoteId, string Text);

public sealed class RecordNoteWritten(NotesContext db, TimeProvider clock, ILogger<RecordNoteWritten> logger)
    : IdempotentConsumer<NoteWritten, NotesContext>(db, clock, logger)
{
    protected override Task HandleAsync(ConsumeContext<NoteWritten> context, CancellationToken cancellationToken)
    {
        Db.Effects.Add(new NoteEffect { Id = Guid.NewGuid(), NoteId = context.Message.NoteId, TraceId = System.Diagnostics.Activity.Current?.TraceId.ToString() });
        return Task.CompletedTask;
    }
}

/// <summary>A note was tagged; consumed in batches. A tag of <see cref="Poison"/> makes the handler throw.</summary>
public sealed record NoteTagged(Guid NoteId, string Tag)
{
    public const string Poison = "poison";

    /// <summary>A tag that makes the consumer look, after each commit, at what another connection sees of the note.</summary>
    public const string Watched = "watched";
}

public sealed class RecordNotesTagged(NotesContext db, TimeProvider clock, ILogger<RecordNotesTagged> logger, AfterCommitLog afterCommit, IServiceScopeFactory scopes)
    : IdempotentBatchConsumer<NoteTagged, NotesContext>(db, clock, logger)
{
    private int _batchSize;

    protected override Task BeforeMessagesAsync(IReadOnlyList<ConsumeContext<NoteTagged>> messages, CancellationToken cancellationToken)
    {
        _batchSize = messages.Count;
        return Task.CompletedTask;
    }

    protected override Task HandleAsync(ConsumeContext<NoteTagged> context, CancellationToken cancellationToken)
    {
        if (context.Message.Tag == NoteTagged.Poison)
        {
            throw new InvalidOperationException("A poison tag: this message can never be handled.");
        }

        Db.Effects.Add(new NoteEffect
        {
            Id = Guid.NewGuid(),
            NoteId = context.Message.NoteId,
            TraceId = System.Diagnostics.Activity.Current?.TraceId.ToString(),
            BatchSize = _batchSize,
        });
        return Task.CompletedTask;
    }

    protected override async Task AfterCommitAsync(IReadOnlyList<ConsumeContext<NoteTagged>> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages.Where(m => m.Message.Tag == NoteTagged.Watched))
        {
            // A context of another scope, on another connection, sees only what was committed.
            await using var scope = scopes.CreateAsyncScope();
            var other = scope.ServiceProvider.GetRequiredService<NotesContext>();
            afterCommit.Saw(message.MessageId!.Value, await other.Effects.CountAsync(e => e.NoteId == message.Message.NoteId, cancellationToken));
        }
    }
}

/// <summary>A note was pinned; consumed in batches by a consumer whose transaction a test can hold open (<see cref="PinGate"/>).</summary>
public sealed record NotePinned(Guid NoteId, bool Hold);

public sealed class RecordNotesPinned(NotesContext db, TimeProvider clock, ILogger<RecordNotesPinned> logger, PinGate gate)
    : IdempotentBatchConsumer<NotePinned, NotesContext>(db, clock, logger)
{
    private Guid _batchId;
    private int _batchSize;

    protected override Task BeforeMessagesAsync(IReadOnlyList<ConsumeContext<NotePinned>> messages, CancellationToken cancellationToken)
    {
        _batchId = Guid.NewGuid();
        _batchSize = messages.Count;
        return Task.CompletedTask;
    }

    protected override async Task HandleAsync(ConsumeContext<NotePinned> context, CancellationToken cancellationToken)
    {
        Db.Effects.Add(new NoteEffect { Id = Guid.NewGuid(), NoteId = context.Message.NoteId, BatchSize = _batchSize, BatchId = _batchId });
        if (context.Message.Hold)
        {
            await gate.HoldAsync(context.Message.NoteId, cancellationToken);
        }
    }
}

/// <summary>A note was archived; consumed in batches by a consumer nobody waits on, which gathers its messages.</summary>
public sealed record NoteArchived(Guid NoteId);

public sealed class RecordNotesArchived(NotesContext db, TimeProvider clock, ILogger<RecordNotesArchived> logger)
    : IdempotentBatchConsumer<NoteArchived, NotesContext>(db, clock, logger)
{
    private Guid _batchId;
    private int _batchSize;

    protected override TimeSpan GatherFor => TimeSpan.FromSeconds(2);

    protected override Task BeforeMessagesAsync(IReadOnlyList<ConsumeContext<NoteArchived>> messages, CancellationToken cancellationToken)
    {
        _batchId = Guid.NewGuid();
        _batchSize = messages.Count;
        return Task.CompletedTask;
    }

    protected override Task HandleAsync(ConsumeContext<NoteArchived> context, CancellationToken cancellationToken)
    {
        Db.Effects.Add(new NoteEffect { Id = Guid.NewGuid(), NoteId = context.Message.NoteId, BatchSize = _batchSize, BatchId = _batchId });
        return Task.CompletedTask;
    }
}

/// <summary>Holds the transaction that handles a pinned note open until the test releases the note.</summary>
public sealed class PinGate
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (TaskCompletionSource Holding, TaskCompletionSource Released)> _pins = new();

    public async Task HoldAsync(Guid noteId, CancellationToken cancellationToken)
    {
        var pin = PinOf(noteId);
        pin.Holding.TrySetResult();
        await pin.Released.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Completes when a transaction is holding the note.</summary>
    public Task HoldingAsync(Guid noteId) => PinOf(noteId).Holding.Task;

    public void Release(Guid noteId) => PinOf(noteId).Released.TrySetResult();

    private (TaskCompletionSource Holding, TaskCompletionSource Released) PinOf(Guid noteId) =>
        _pins.GetOrAdd(noteId, _ => (new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)));
}

/// <summary>For each message id, what the after-commit step of each delivery saw of its note from another connection.</summary>
public sealed class AfterCommitLog
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, System.Collections.Concurrent.ConcurrentQueue<int>> _seen = new();

    public void Saw(Guid messageId, int committedEffects) => _seen.GetOrAdd(messageId, _ => new()).Enqueue(committedEffects);

    public IReadOnlyList<int> SeenFor(Guid messageId) => _seen.TryGetValue(messageId, out var seen) ? [.. seen] : [];
}

public sealed class NotesSchema : IDatabaseSeeder<NotesContext>
{
    public async Task SeedAsync(NotesContext db, CancellationToken cancellationToken)
    {
        var exists = await db.Database.SqlQuery<bool>($"SELECT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'notes') AS \"Value\"")
            .SingleAsync(cancellationToken);
        if (!exists)
        {
            await db.GetInfrastructure().GetRequiredService<IRelationalDatabaseCreator>().CreateTablesAsync(cancellationToken);
        }
    }
}

/// <summary>Counts every delivery of a message to a consumer, duplicates included, before the inbox decides.</summary>
public sealed class DeliveryCounter : IConsumeObserver
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> _deliveries = new();

    public int DeliveriesOf(Guid messageId) => _deliveries.GetValueOrDefault(messageId);

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.MessageId is { } id)
        {
            _deliveries.AddOrUpdate(id, 1, (_, n) => n + 1);
        }

        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}

/// <summary>Counts the savepoints EF Core creates in the notes database, to show the messaging transactions need none.</summary>
public sealed class SavepointCounter : DbTransactionInterceptor
{
    private int _created;

    public int Created => Volatile.Read(ref _created);

    public override ValueTask<InterceptionResult> CreatingSavepointAsync(
        System.Data.Common.DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _created);
        return base.CreatingSavepointAsync(transaction, eventData, result, cancellationToken);
    }

    public override InterceptionResult CreatingSavepoint(System.Data.Common.DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        Interlocked.Increment(ref _created);
        return base.CreatingSavepoint(transaction, eventData, result);
    }
}

/// <summary>Counts the dispatcher's statements on the outbox: the sweep's claims and the deletes of published rows.</summary>
public sealed class OutboxStatementCounter : DbCommandInterceptor
{
    private int _claims;
    private int _deletes;

    public int Claims => Volatile.Read(ref _claims);

    public int Deletes => Volatile.Read(ref _deletes);

    public override ValueTask<InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
        System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void Count(System.Data.Common.DbCommand command)
    {
        var sql = command.CommandText;
        if (sql.Contains("DELETE FROM outbox_messages", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref sql.Contains("FOR UPDATE SKIP LOCKED", StringComparison.Ordinal) ? ref _claims : ref _deletes);
        }
    }
}

public sealed record NoteFlagged(Guid NoteId);

/// <summary>A fault the test turns on and mends: while on, every delivery of a <see cref="NoteFlagged"/> fails.</summary>
public static class FlaggingFault
{
    public const string Message = "The flag store is down (a fault the test mends).";

    private static volatile bool s_on;

    public static bool On
    {
        get => s_on;
        set => s_on = value;
    }
}

public sealed class RecordNoteFlagged(NotesContext db, TimeProvider clock, ILogger<RecordNoteFlagged> logger)
    : IdempotentConsumer<NoteFlagged, NotesContext>(db, clock, logger)
{
    protected override Task HandleAsync(ConsumeContext<NoteFlagged> context, CancellationToken cancellationToken)
    {
        if (FlaggingFault.On)
        {
            throw new InvalidOperationException(FlaggingFault.Message);
        }

        Db.Effects.Add(new NoteEffect { Id = Guid.NewGuid(), NoteId = context.Message.NoteId });
        return Task.CompletedTask;
    }
}

/// <summary>The notes service hosted as a service's Program hosts itself: its database, its messaging, its schema.</summary>
public static class NotesHost
{
    /// <summary>Started, with its queues declared before the first publish (else the broker has nowhere to route it).</summary>
    public static async Task<Microsoft.Extensions.Hosting.IHost> StartAsync(
        string serviceName,
        IReadOnlyDictionary<string, string?> settings,
        Action<IBusRegistrationConfigurator> consumers,
        Action<DbContextOptionsBuilder>? database = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(builder.Configuration, settings);
        // The test model has no migrations: NotesSchema creates its tables.
        builder.AddServiceDatabase<NotesContext>("notesdb", options =>
        {
            options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
            database?.Invoke(options);
        });
        builder.Services.AddScoped<IDatabaseSeeder<NotesContext>, NotesSchema>();
        services?.Invoke(builder.Services);
        builder.AddServiceMessaging<NotesContext>(serviceName, consumers);
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}

/// <summary>What the tests do to a notes service they started: write a note with its event, count effects and outbox rows.</summary>
public static class NotesHostExtensions
{
    /// <summary>A note and its <see cref="NoteWritten"/>, committed together by one <c>SaveChanges</c>.</summary>
    public static async Task WriteNoteAsync(this Microsoft.Extensions.Hosting.IHost host, Guid id, string text)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotesContext>();
        db.Notes.Add(new Note { Id = id, Text = text });
        scope.ServiceProvider.GetRequiredService<IEventOutbox>().Add(new NoteWritten(id, text));
        await db.SaveChangesAsync();
    }

    public static async Task<int> EffectsOfAsync(this Microsoft.Extensions.Hosting.IHost host, IReadOnlyCollection<Guid> notes)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotesContext>().Effects.CountAsync(e => notes.Contains(e.NoteId));
    }

    public static async Task<int> OutboxRowsAsync(this Microsoft.Extensions.Hosting.IHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotesContext>().Set<OutboxMessage>().CountAsync();
    }
}
