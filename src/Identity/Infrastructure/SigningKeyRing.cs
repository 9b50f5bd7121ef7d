using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Procexon.Identity.Infrastructure;

/// <summary>
/// The signing keys in force, the one that signs first. Replacing them makes OpenIddict rebuild its options, so a
/// rotation takes effect in a running instance.
/// </summary>
public sealed class SigningKeyRing : IOptionsChangeTokenSource<OpenIddictServerOptions>, IDisposable
{
    private volatile IReadOnlyList<RsaSecurityKey> _keys = [];
    private CancellationTokenSource _changed = new();

    public string Name => Options.DefaultName;

    public IReadOnlyList<RsaSecurityKey> Keys => _keys;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public void Replace(IReadOnlyList<RsaSecurityKey> keys)
    {
        if (keys.Select(k => k.KeyId).SequenceEqual(_keys.Select(k => k.KeyId)))
        {
            return;
        }

        _keys = keys;
        using var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        previous.Cancel();
    }

    public void Dispose() => _changed.Dispose();
}
