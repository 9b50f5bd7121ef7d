using System.Diagnostics;
using Procexon.Testing;

namespace Procexon.DisclosureLog.Tests.Webhooks;

/// <summary>
/// The website company's Node.js receiver (src/Processors/WebsiteCompany) has tests of its own, run with
/// <c>node --test</c>; run from here so that CI, which runs the .NET tests, runs them too.
/// </summary>
public sealed class WebsiteCompanyReceiverTests
{
    [Fact]
    public async Task Node_receiver_refuses_tampered_bodies_wrong_secrets_and_old_timestamps_and_applies_each_notice_once()
    {
        var directory = Path.Combine(RepositoryPaths.Root, "src", "Processors", "WebsiteCompany");
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "standardwebhooks")),
            "The website company's npm packages are not installed: run bash scripts/setup.sh.");

        using var node = Process.Start(new ProcessStartInfo("node", ["--test", "--test-reporter=spec"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await node.WaitForExitAsync(timeout.Token);

        Assert.True(node.ExitCode == 0, $"node --test failed ({node.ExitCode}):\n{await output}\n{await errors}");
        // The refusals the issue asks for, and a rotation's two signatures, ran: not merely "no test failed".
        foreach (var refusal in new[] { "a tampered body is refused", "another secret is refused", "outside the five-minute window is refused", "during a secret rotation two signatures arrive" })
        {
            Assert.Contains(refusal, await output, StringComparison.Ordinal);
        }
    }
}
