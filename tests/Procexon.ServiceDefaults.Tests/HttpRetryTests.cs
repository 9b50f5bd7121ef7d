using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Procexon.ServiceDefaults.Tests;

/// <summary>
/// Every HttpClient a service makes retries a read that met a transient failure, and never a write: a POST that timed
/// out may have been applied, and sent again it could be applied twice. Against a real server on loopback that answers
/// 503 to the first call of each path.
/// </summary>
public sealed class HttpRetryTests : IAsyncLifetime
{
    private readonly Dictionary<string, int> _calls = [];
    private WebApplication _server = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.Map("/{name}", (string name) =>
        {
            int call;
            lock (_calls)
            {
                call = _calls[name] = _calls.GetValueOrDefault(name) + 1;
            }

            return call == 1 ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Ok();
        });
        await _server.StartAsync();
        _address = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_read_is_retried_and_a_write_is_not()
    {
        var service = Host.CreateApplicationBuilder();
        service.AddServiceDefaults();
        using var host = service.Build();
        var http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        using var read = await http.GetAsync(new Uri(_address, "read"));
        using var write = await http.PostAsync(new Uri(_address, "write"), new StringContent("{}"));

        Assert.Equal((HttpStatusCode.OK, 2), (read.StatusCode, _calls["read"]));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 1), (write.StatusCode, _calls["write"]));
    }
}
