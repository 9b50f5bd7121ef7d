using System.Collections.Concurrent;
using System.Text.Json;

namespace Procexon.Messaging.Outbox;

/// <summary>How an event's type is named in the outbox and found again when it is published.</summary>
internal static class OutboxMessageTypes
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly ConcurrentDictionary<string, Type> s_types = new();

    public static string NameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    public static Type Resolve(string name) => s_types.GetOrAdd(name, static n =>
        Type.GetType(n, throwOnError: false)
        ?? throw new InvalidOperationException($"The outbox holds an event of unknown type '{n}'."));
}
