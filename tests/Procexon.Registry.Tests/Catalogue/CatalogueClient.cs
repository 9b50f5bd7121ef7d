using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Procexon.Registry.Apis;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests.Catalogue;

/// <summary>Calls the catalogue endpoints' handlers on the fixture's database, each call in its own scope as a request would.</summary>
public sealed class CatalogueClient(RegistryFixture fixture)
{
    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);

    public Task<IResult> ListAsync(string? asOf = null) =>
        fixture.InDatabaseAsync(async db => (await RegistersApi.ListRegisters(asOf, db, CancellationToken.None)).Result);

    public async Task<List<RegisterDto>> ListOkAsync(string? asOf = null) => Assert.IsType<Ok<List<RegisterDto>>>(await ListAsync(asOf)).Value!;

    public Task<IResult> GetAsync(string register, string? asOf = null) =>
        fixture.InDatabaseAsync(async db => (await RegistersApi.GetRegister(register, asOf, db, CancellationToken.None)).Result);

    public async Task<RegisterDto> GetOkAsync(string register, string? asOf = null) =>
        Assert.IsType<Ok<RegisterDto>>(await GetAsync(register, asOf)).Value!;

    /// <summary>Edits as <paramref name="user"/>, by default <see cref="TestUsers.RegisterAdmin"/>.</summary>
    public Task<IResult> EditAsync(string register, EditRegisterBody body, TimeProvider? clock = null, ClaimsPrincipal? user = null) =>
        fixture.InDatabaseAsync(async db => (await CatalogueEditingApi.EditRegister(
            register, body, user ?? TestUsers.RegisterAdmin, db, clock ?? TimeProvider.System, CancellationToken.None)).Result);

    public Task<IResult> VersionsAsync(string register) =>
        fixture.InDatabaseAsync(async db => (await CatalogueEditingApi.ListRegisterVersions(register, db, CancellationToken.None)).Result);

    public async Task<List<RegisterVersionDto>> VersionsOkAsync(string register) =>
        Assert.IsType<Ok<List<RegisterVersionDto>>>(await VersionsAsync(register)).Value!;

    public Task<IResult> VersionAsync(string register, int version) =>
        fixture.InDatabaseAsync(async db => (await CatalogueEditingApi.GetRegisterVersion(register, version, db, CancellationToken.None)).Result);

    /// <summary>
    /// The edit body an editor sends: the register exactly as GET answered it (through JSON, as a client would send it
    /// back), with why it changes and the version read; who changes it is the caller.
    /// </summary>
    public static EditRegisterBody BodyFrom(RegisterDto register, string changeNote = "Reviewed; no change.")
    {
        var json = JsonSerializer.SerializeToNode(register, s_web)!.AsObject();
        json["changeNote"] = changeNote;
        json["expectedVersion"] = register.Version;
        return json.Deserialize<EditRegisterBody>(s_web)!;
    }
}

/// <summary>A clock standing still at one instant, for edits made "on" a given day.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
