using System.Diagnostics;
using System.Text;

namespace Procexon.Testing;

/// <summary>
/// One of the repository's server scripts (<c>scripts/servers/*.sh</c>) run as a child process: the same Debian
/// PostgreSQL or RabbitMQ the AppHost runs, on a free port in a temporary folder. It can be killed and started
/// again on the same folder and port, which is how tests prove that nothing is lost.
/// </summary>
public sealed class LocalServerProcess(string name, string script, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Start()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name}: bash did not start.");
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Waits until <paramref name="ready"/> holds, failing with the server's own output if it exits or times out.</summary>
    public async Task WaitUntilReadyAsync(Func<CancellationToken, Task<bool>> ready, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"{name} exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                if (await ready(deadline.Token))
                {
                    return;
                }
            }
            catch (Exception) when (!deadline.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"{name} was not ready within {timeout.TotalSeconds:F0} s:\n{Output}");
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }

    /// <summary>Ends the server the hard way (SIGKILL to the server process itself, as a crash would), or politely.</summary>
    public async Task StopAsync(bool kill, string? pidFile = null)
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        // The script execs the server, but RabbitMQ's own script forks the Erlang VM: kill that too when asked to crash.
        if (kill && pidFile is not null && File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var serverPid))
        {
            Signal(serverPid, "KILL");
        }

        Signal(_process.Id, kill ? "KILL" : "TERM");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(kill: false);
        _process?.Dispose();
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill?.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
