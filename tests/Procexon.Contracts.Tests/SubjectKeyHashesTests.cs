using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Procexon.Contracts.Tests;

/// <summary>Requests name the subject by keyed hashes: what travels, lands in outboxes and error queues names nobody.</summary>
[Trait("Category", "Unit")]
public sealed class SubjectKeyHashesTests
{
    private const string Key = "a-subject-lookup-key-of-at-least-32-characters";

    private static readonly SubjectKeys s_keys = new(
        Email: "maija.meikalainen@example.fi", Phone: "+358401234567", Hetu: "010190-999W", BusinessId: "1234567-1", CustomerNumber: "C-1001");

    [Fact]
    public void A_request_serialised_as_it_travels_holds_no_identifier()
    {
        var hasher = new SubjectKeyHasher(Key);
        var json = JsonSerializer.Serialize(new SubjectRightRequested(
            Guid.NewGuid(), SubjectRights.Access, hasher.HashesOf(s_keys), [], DateTimeOffset.UnixEpoch));

        foreach (var value in new[] { s_keys.Email!, s_keys.Phone!, s_keys.Hetu!, "010190", s_keys.BusinessId!, s_keys.CustomerNumber! })
        {
            Assert.DoesNotContain(value, json, StringComparison.OrdinalIgnoreCase);
        }

        var back = JsonSerializer.Deserialize<SubjectRightRequested>(json)!;
        Assert.Equal(hasher.HashesOf(s_keys).Hetu, back.Subject.Hetu);
        Assert.Equal(hasher.KeyId, back.Subject.KeyId);
    }

    [Fact]
    public void Hashes_are_the_ones_the_registry_has_always_stored()
    {
        // The registry's rows were hashed with this derivation before the hasher moved here: it must not change.
        var derived = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(Key), 32,
            info: Encoding.UTF8.GetBytes("procexon/registry/identifier-hash/v1"));
        var expected = HMACSHA256.HashData(derived, Encoding.UTF8.GetBytes("customer-number:C-1001"));

        Assert.Equal(expected, new SubjectKeyHasher(Key).Hash(IdentifierKind.CustomerNumber, "C-1001"));
    }

    [Fact]
    public void Hashes_made_with_another_key_are_refused_by_name_not_matched_against_nothing()
    {
        var mine = new SubjectKeyHasher(Key);
        var theirs = new SubjectKeyHasher(Key + "-rotated");

        Assert.NotEqual(mine.KeyId, theirs.KeyId);
        Assert.NotEqual(mine.Hash(IdentifierKind.Email, s_keys.Email!), theirs.Hash(IdentifierKind.Email, s_keys.Email!));
        var refused = Assert.Throws<InvalidOperationException>(() => mine.EnsureSameKey(theirs.HashesOf(s_keys), "Registry:IdentifierKey"));
        Assert.Contains(theirs.KeyId, refused.Message, StringComparison.Ordinal);
        mine.EnsureSameKey(mine.HashesOf(s_keys), "Registry:IdentifierKey");
    }

    [Fact]
    public void Kinds_are_part_of_the_hash_and_printing_shows_only_which_were_given()
    {
        var hasher = new SubjectKeyHasher(Key);

        Assert.NotEqual(hasher.Hash(IdentifierKind.Email, "x"), hasher.Hash(IdentifierKind.Phone, "x"));
        Assert.Equal($"SubjectKeyHashes {{ KeyId = {hasher.KeyId}, given: Email, CustomerNumber }}",
            hasher.HashesOf(new SubjectKeys(Email: s_keys.Email, CustomerNumber: s_keys.CustomerNumber)).ToString());
    }
}
