namespace Procexon.Identity.Model;

/// <summary>
/// An RSA key that signs tokens from <see cref="NotBefore"/> until <see cref="SigningEnds"/>, and stays published in
/// the JWKS until <see cref="Expires"/> so that tokens it signed still verify. The private key is stored encrypted
/// (AES-GCM under the configured key-encryption key, bound to the key id).
/// </summary>
public sealed class SigningKey
{
    public required string Id { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset SigningEnds { get; init; }

    public required DateTimeOffset Expires { get; init; }

    /// <summary>nonce (12 bytes) ‖ tag (16 bytes) ‖ ciphertext of the PKCS#8 private key.</summary>
    public required byte[] ProtectedPrivateKey { get; init; }

    public bool SignsAt(DateTimeOffset now) => NotBefore <= now && now < SigningEnds;
}
