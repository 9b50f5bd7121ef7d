using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Procexon.Messaging.Database;

namespace Procexon.Messaging.Tests;

/// <summary>
/// <see cref="SetBasedWrites"/> on a real PostgreSQL: what a transaction adds, changes and removes of an opted-in type
/// is written with one statement per kind of change, the values are the ones EF Core would have written (complex
/// properties, JSON, enums as text, dates, nulls), and nothing is written twice or left pending in the change tracker.
/// </summary>
[Collection(MessagingCollection.Name)]
public sealed class SetBasedWritesTests(MessagingFixture fixture)
{
    [Fact]
    public async Task Ten_rows_added_in_a_transaction_are_one_insert_and_read_back_as_written()
    {
        var requestId = Guid.NewGuid();
        List<LedgerAnswer> written = [.. Enumerable.Range(0, 10).Select(i => LedgerAnswer.Sample(requestId, i))];
        var log = await InTransactionAsync(async db =>
        {
            foreach (var answer in written)
            {
                db.Answers.Add(answer);
                // Changed after it was added, as an answer recorded with its scope is: still one insert, no update after.
                answer.Note = i(answer) % 2 == 0 ? new LedgerName($"huom {answer.Register}", $"note {answer.Register}") : null;
            }
        });

        Assert.Equal(1, log.Statements(@"INSERT INTO ""?ledger_answers"));
        Assert.Equal(0, log.Statements(@"UPDATE ""?ledger_answers"));
        var read = await ReadAsync(db => db.Answers.Where(a => a.RequestId == requestId).OrderBy(a => a.Register).ToListAsync());
        Assert.Equal(
            written.OrderBy(a => a.Register, StringComparer.Ordinal).Select(LedgerAnswer.Json),
            read.Select(LedgerAnswer.Json));

        static int i(LedgerAnswer answer) => int.Parse(answer.Register[^1..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Rows_added_to_a_tracked_rows_collection_are_seen_before_the_save_and_written_as_one_insert()
    {
        var request = new LedgerRequest { Id = Guid.NewGuid() };
        await InTransactionAsync(db => db.Requests.Add(request));

        var log = await InTransactionAsync(async db =>
        {
            var tracked = await db.Requests.SingleAsync(r => r.Id == request.Id);
            // As a request records its scope: rows added to its collection, never to the context.
            tracked.Steps.AddRange(Enumerable.Range(0, 10).Select(i => new LedgerStep { RequestId = request.Id, Register = $"register-{i}" }));
        });

        Assert.Equal(1, log.Statements(@"INSERT INTO ""?ledger_steps"));
        Assert.Equal(10, await ReadAsync(db => db.Steps.CountAsync(s => s.RequestId == request.Id)));
    }

    [Fact]
    public async Task Rows_of_a_type_that_joins_go_with_a_leading_types_rows_and_alone_are_left_to_EF_Core()
    {
        var requestId = Guid.NewGuid();
        var alone = await InTransactionAsync(db => db.Notices.AddRange(LedgerNotice.Sample(), LedgerNotice.Sample()));
        var notice = LedgerNotice.Sample();
        var joined = await InTransactionAsync(db =>
        {
            db.Notices.Add(notice);
            db.Answers.AddRange(LedgerAnswer.Sample(requestId, 0), LedgerAnswer.Sample(requestId, 1));
        });

        // Alone: two statements in EF Core's batch, no round trip before it. Joined: one statement, and EF Core's batch
        // has nothing left to send (the set-based batch is the save's only write).
        Assert.Equal(2, alone.Statements(@"INSERT INTO ""?ledger_notices"));
        Assert.Equal(0, alone.Statements("unnest"));
        Assert.Equal(1, joined.Statements(@"INSERT INTO ""?ledger_notices"));
        Assert.Equal(1, joined.Commands(@"INSERT INTO"));
        var read = await ReadAsync(db => db.Notices.SingleAsync(n => n.Id == notice.Id));
        Assert.Equal(notice.Sealed, read.Sealed);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(notice.Payload).RootElement, JsonDocument.Parse(read.Payload).RootElement), read.Payload);
    }

    [Fact]
    public async Task Rows_changed_alike_are_one_update_and_rows_removed_one_delete_and_the_tracker_is_left_clean()
    {
        List<LedgerRecord> records = [.. Enumerable.Range(0, 12).Select(_ => new LedgerRecord { Id = Guid.NewGuid(), SubjectId = Guid.NewGuid() })];
        await InTransactionAsync(db => db.Records.AddRange(records));
        var requestId = Guid.NewGuid();
        var until = new DateOnly(2032, 12, 31);

        LedgerContext? kept = null;
        var log = await InTransactionAsync(async db =>
        {
            kept = db;
            var tracked = await db.Records.Where(r => records.Select(x => x.Id).Contains(r.Id)).OrderBy(r => r.Id).ToListAsync();
            // Six restricted under law, two put beyond use (another set of columns changed), four erased.
            foreach (var record in tracked.Take(6))
            {
                record.State = LedgerState.Restricted;
                record.RetainUntil = until;
                record.ErasureRequestId = requestId;
            }

            foreach (var record in tracked.Skip(6).Take(2))
            {
                record.State = LedgerState.BeyondUse;
            }

            db.Records.RemoveRange(tracked.Skip(8));
        }, afterSave: db =>
        {
            // Written, and known to be: nothing pending, and a second save writes nothing.
            db.ChangeTracker.DetectChanges();
            Assert.DoesNotContain(db.ChangeTracker.Entries(), e => e.State != EntityState.Unchanged);
        });

        Assert.Equal(2, log.Statements(@"UPDATE ""?ledger_records"));
        Assert.Equal(1, log.Statements(@"DELETE FROM ""?ledger_records"));
        var ordered = records.Select(r => r.Id).Order().ToList();
        var read = await ReadAsync(db => db.Records.Where(r => ordered.Contains(r.Id)).ToDictionaryAsync(r => r.Id));
        Assert.Equal(ordered.Take(8), read.Keys.Order());
        Assert.All(ordered.Take(6), id => Assert.Equal((LedgerState.Restricted, until, requestId), (read[id].State, read[id].RetainUntil, read[id].ErasureRequestId)));
        Assert.All(ordered.Skip(6).Take(2), id => Assert.Equal((LedgerState.BeyondUse, (DateOnly?)null, (Guid?)null), (read[id].State, read[id].RetainUntil, read[id].ErasureRequestId)));
    }

    [Fact]
    public async Task A_row_to_change_that_another_transaction_removed_fails_the_save_and_nothing_is_written()
    {
        List<LedgerRecord> records = [.. Enumerable.Range(0, 3).Select(_ => new LedgerRecord { Id = Guid.NewGuid(), SubjectId = Guid.NewGuid() })];
        await InTransactionAsync(db => db.Records.AddRange(records));
        var requestId = Guid.NewGuid();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => InTransactionAsync(async db =>
        {
            var ids = records.Select(r => r.Id).ToList();
            var tracked = await db.Records.Where(r => ids.Contains(r.Id)).ToListAsync();
            tracked.ForEach(r => r.ErasureRequestId = requestId);
            db.Answers.AddRange(LedgerAnswer.Sample(requestId, 0), LedgerAnswer.Sample(requestId, 1));
            await ReadAsync(other => other.Records.Where(r => r.Id == ids[1]).ExecuteDeleteAsync());
        }));

        var ids = records.Select(r => r.Id).ToList();
        Assert.Equal(0, await ReadAsync(db => db.Records.CountAsync(r => ids.Contains(r.Id) && r.ErasureRequestId != null)));
        Assert.Equal(0, await ReadAsync(db => db.Answers.CountAsync(a => a.RequestId == requestId)));
    }

    [Fact]
    public async Task Without_a_transaction_of_the_callers_EF_Core_writes_each_row_in_its_own_transaction()
    {
        var requestId = Guid.NewGuid();
        var log = new CommandLog();
        await using (var db = await LedgerContext.CreateAsync(fixture, log))
        {
            db.Answers.AddRange(Enumerable.Range(0, 3).Select(i => LedgerAnswer.Sample(requestId, i)));
            await db.SaveChangesAsync();
        }

        Assert.Equal(3, log.Statements(@"INSERT INTO ""?ledger_answers"));
        Assert.Equal(3, await ReadAsync(db => db.Answers.CountAsync(a => a.RequestId == requestId)));
    }

    private async Task<CommandLog> InTransactionAsync(Func<LedgerContext, Task> work, Action<LedgerContext>? afterSave = null)
    {
        var log = new CommandLog();
        await using var db = await LedgerContext.CreateAsync(fixture, log);
        await using var transaction = await db.Database.BeginTransactionAsync();
        await work(db);
        await db.SaveChangesAsync();
        afterSave?.Invoke(db);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return log;
    }

    private Task<CommandLog> InTransactionAsync(Action<LedgerContext> work) => InTransactionAsync(db =>
    {
        work(db);
        return Task.CompletedTask;
    });

    private async Task<T> ReadAsync<T>(Func<LedgerContext, Task<T>> read)
    {
        await using var db = await LedgerContext.CreateAsync(fixture, new CommandLog());
        return await read(db);
    }
}

/// <summary>The statements a context sent, as EF Core's command text (a batch is several statements).</summary>
internal sealed class CommandLog : DbCommandInterceptor
{
    private readonly List<string> _commands = [];

    /// <summary>The commands (round trips) whose text matches.</summary>
    public int Commands(string pattern)
    {
        lock (_commands)
        {
            return _commands.Count(c => Regex.IsMatch(c, pattern));
        }
    }

    public int Statements(string pattern)
    {
        lock (_commands)
        {
            return _commands.Sum(c => Regex.Count(c, pattern));
        }
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Add(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Add(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void Add(DbCommand command)
    {
        lock (_commands)
        {
            _commands.Add(command.CommandText);
        }
    }
}

internal sealed class LedgerContext(DbContextOptions<LedgerContext> options) : DbContext(options)
{
    private static readonly SemaphoreSlim s_created = new(1, 1);
    private static bool s_exists;

    public DbSet<LedgerAnswer> Answers => Set<LedgerAnswer>();

    public DbSet<LedgerRecord> Records => Set<LedgerRecord>();

    public DbSet<LedgerRequest> Requests => Set<LedgerRequest>();

    public DbSet<LedgerNotice> Notices => Set<LedgerNotice>();

    public DbSet<LedgerStep> Steps => Set<LedgerStep>();

    public static async Task<LedgerContext> CreateAsync(MessagingFixture fixture, CommandLog log)
    {
        var db = new LedgerContext(new DbContextOptionsBuilder<LedgerContext>()
            .UseNpgsql(fixture.Postgres.ConnectionString("setbasedwritesdb"))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(new SetBasedWriteInterceptor(), log)
            .Options);
        await s_created.WaitAsync();
        try
        {
            if (!s_exists)
            {
                await db.Database.EnsureCreatedAsync();
                s_exists = true;
            }
        }
        finally
        {
            s_created.Release();
        }

        return db;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LedgerAnswer>(answer =>
        {
            answer.ToTable("ledger_answers");
            answer.HasKey(a => new { a.RequestId, a.Register });
            answer.Property(a => a.Register).HasMaxLength(64);
            answer.ComplexProperty(a => a.Name);
            answer.ComplexProperty(a => a.Note);
            answer.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(16);
            answer.Property(a => a.Items).HasColumnType("jsonb").HasConversion(
                items => JsonSerializer.Serialize(items, JsonSerializerOptions.Default),
                json => JsonSerializer.Deserialize<List<string>>(json, JsonSerializerOptions.Default) ?? new List<string>(),
                new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), a => a.Count, a => a.ToList()));
            answer.WrittenSetBased();
        });
        modelBuilder.Entity<LedgerRecord>(record =>
        {
            record.ToTable("ledger_records");
            record.HasKey(r => r.Id);
            record.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
            record.WrittenSetBased();
        });
        modelBuilder.Entity<LedgerNotice>(notice =>
        {
            notice.ToTable("ledger_notices");
            notice.Property(n => n.Payload).HasColumnType("jsonb");
            notice.WrittenSetBasedWithOthers();
        });
        modelBuilder.Entity<LedgerRequest>(request =>
        {
            request.ToTable("ledger_requests");
            request.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.RequestId);
        });
        modelBuilder.Entity<LedgerStep>(step =>
        {
            step.ToTable("ledger_steps");
            step.HasKey(s => new { s.RequestId, s.Register });
            step.WrittenSetBased();
        });
    }
}

public sealed record LedgerName(string Fi, string En);

public enum LedgerOutcome
{
    Erased,
    Retained,
    NotHeld,
}

public sealed class LedgerAnswer
{
    public required Guid RequestId { get; init; }

    public required string Register { get; init; }

    public required LedgerName Name { get; init; }

    public LedgerName? Note { get; set; }

    public LedgerOutcome? Outcome { get; set; }

    public int Records { get; set; }

    public List<string> Items { get; set; } = [];

    public DateOnly? Until { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public static LedgerAnswer Sample(Guid requestId, int i) => new()
    {
        RequestId = requestId,
        Register = $"register-{i}",
        Name = new($"rekisteri {i} \"lainaus\" ja 'heittomerkki'", $"register {i}"),
        Outcome = i % 3 == 0 ? null : (LedgerOutcome)(i % 3),
        Records = i,
        Items = i % 2 == 0 ? [] : [$"item {i}", "ä ö å \\ \" {"],
        Until = i % 2 == 0 ? null : new DateOnly(2030, 1, 1).AddDays(i),
        AnsweredAt = i % 4 == 0 ? null : new DateTimeOffset(2026, 12, 7, 15, 0, i, TimeSpan.Zero),
    };

    public static string Json(LedgerAnswer answer) => JsonSerializer.Serialize(answer);
}

public enum LedgerState
{
    Active,
    Restricted,
    BeyondUse,
}

public sealed class LedgerRecord
{
    public required Guid Id { get; init; }

    public required Guid SubjectId { get; init; }

    public LedgerState State { get; set; } = LedgerState.Active;

    public DateOnly? RetainUntil { get; set; }

    public Guid? ErasureRequestId { get; set; }
}

public sealed class LedgerRequest
{
    public required Guid Id { get; init; }

    public List<LedgerStep> Steps { get; init; } = [];
}

public sealed class LedgerStep
{
    public required Guid RequestId { get; init; }

    public required string Register { get; init; }
}

/// <summary>Like an outbox row: one or two per transaction, worth writing set-based only beside other rows.</summary>
public sealed class LedgerNotice
{
    public required Guid Id { get; init; }

    public required string Payload { get; init; }

    public byte[]? Sealed { get; init; }

    public static LedgerNotice Sample() => new() { Id = Guid.NewGuid(), Payload = """{"kind":"notice"}""", Sealed = [1, 2, 3, 0, 255] };
}
