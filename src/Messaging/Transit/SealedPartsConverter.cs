using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Procexon.Contracts;

namespace Procexon.Messaging.Transit;

/// <summary>
/// Seals, in a message of <see cref="PersonalValuesInTransit.Types"/>, each <see cref="PersonalValuesAttribute"/> part as
/// one AES-GCM value (base64) while everything else stays readable: an operator looking at an error queue sees the
/// request's id and the register's name, not the corrected e-mail address or the records of an access answer.
/// </summary>
/// <remarks>
/// Added to MassTransit's serializer settings, so the message body, a fault that carries it and its copy in an error
/// queue are all sealed; the outbox keeps its own (sealed at rest) form. Applied at the message's root, so the same part
/// in a message to a recipient stays readable to that recipient.
/// </remarks>
internal sealed class SealedInTransitConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => PersonalValuesInTransit.AreSealed(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        // The message's own properties are written as usual; only its parts go through the sealing converter.
        var plain = new JsonSerializerOptions(options);
        plain.Converters.Remove(plain.Converters.OfType<SealedInTransitConverterFactory>().Single());
        var withSealedParts = new JsonSerializerOptions(plain);
        withSealedParts.Converters.Insert(0, new SealedPartConverterFactory(plain));
        return (JsonConverter)Activator.CreateInstance(typeof(MessageConverter<>).MakeGenericType(typeToConvert), withSealedParts)!;
    }

    private sealed class MessageConverter<TMessage>(JsonSerializerOptions withSealedParts) : JsonConverter<TMessage>
    {
        public override TMessage? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<TMessage>(ref reader, withSealedParts);

        public override void Write(Utf8JsonWriter writer, TMessage value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, withSealedParts);
    }

    private sealed class SealedPartConverterFactory(JsonSerializerOptions plain) : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsDefined(typeof(PersonalValuesAttribute), inherit: false);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(SealedPartConverter<>).MakeGenericType(typeToConvert), plain)!;
    }

    private sealed class SealedPartConverter<TPart>(JsonSerializerOptions plain) : JsonConverter<TPart>
    {
        // Bound to the part's type: a sealed correction cannot be passed off as a sealed record or a held identifier.
        private static readonly byte[] s_boundTo = Encoding.UTF8.GetBytes($"procexon transit {typeof(TPart).FullName}");

        public override TPart? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                // In clear: from a sender that does not seal yet (during a rolling upgrade), or a replay of such a message.
                return JsonSerializer.Deserialize<TPart>(ref reader, plain);
            }

            var plainBytes = PersonalValuesInTransit.Open(reader.GetBytesFromBase64(), s_boundTo, typeof(TPart).Name);
            return JsonSerializer.Deserialize<TPart>(plainBytes, plain);
        }

        public override void Write(Utf8JsonWriter writer, TPart value, JsonSerializerOptions options) =>
            writer.WriteBase64StringValue(PersonalValuesInTransit.Seal(JsonSerializer.SerializeToUtf8Bytes(value, plain), s_boundTo));
    }
}
