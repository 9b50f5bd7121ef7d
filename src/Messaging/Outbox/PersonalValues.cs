using System.Collections.Concurrent;
using System.Reflection;
using Procexon.Contracts;

namespace Procexon.Messaging.Outbox;

/// <summary>
/// Whether a message carries a <see cref="PersonalValuesAttribute"/> part anywhere in its properties (lists and
/// dictionaries included): such a message is sealed in the outbox. Decided once per type.
/// </summary>
public static class PersonalValues
{
    private static readonly ConcurrentDictionary<Type, bool> s_carried = new();

    public static bool AreCarriedBy(Type messageType) => s_carried.GetOrAdd(messageType, type => Carries(type, []));

    private static bool Carries(Type type, HashSet<Type> seen)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(Guid) || !seen.Add(type))
        {
            return false;
        }

        if (type.IsDefined(typeof(PersonalValuesAttribute), inherit: false))
        {
            return true;
        }

        // A list's or a dictionary's elements, a nullable's value: what the message holds, not the container.
        if (type.IsGenericType && type.GetGenericArguments().Any(argument => Carries(argument, seen)))
        {
            return true;
        }

        if (type.IsArray)
        {
            return Carries(type.GetElementType()!, seen);
        }

        return type.Namespace?.StartsWith("Procexon", StringComparison.Ordinal) == true
            && type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(property => Carries(property.PropertyType, seen));
    }
}
