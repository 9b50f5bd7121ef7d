namespace Procexon.Testing;

/// <summary>Polling for what happens asynchronously (a message consumed, a row written): true as soon as it holds, false if it still does not at the deadline.</summary>
public static class Eventually
{
    /// <param name="every">How often to ask (default 50 ms); a condition that calls the gateway asks less often.</param>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(50));
        }

        return await condition();
    }

    public static Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout) => EventuallyAsync(() => Task.FromResult(condition()), timeout);
}
