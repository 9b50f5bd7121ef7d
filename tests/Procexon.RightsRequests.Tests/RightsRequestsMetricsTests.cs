using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Procexon.RightsRequests.Infrastructure;
using Procexon.RightsRequests.Model;
using static Procexon.RightsRequests.Tests.Requests;

namespace Procexon.RightsRequests.Tests;

[Trait("Category", "Unit")]
public sealed class RightsRequestsMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().AddSingleton<RightsRequestsMetrics>().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, string? Type)> _measurements = [];

    public RightsRequestsMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // This test's own meter only: service hosts of other tests in the process have one of the same name.
            if (instrument.Meter.Name == RightsRequestsMetrics.MeterName && instrument.Meter.Scope == _services.GetRequiredService<IMeterFactory>())
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    [Fact]
    public void Completion_is_counted_by_type_and_erasure_duration_measured_from_verification()
    {
        var metrics = _services.GetRequiredService<RightsRequestsMetrics>();
        var request = VerifiedErasure();
        request.RecordScope([], [Customers], VerifiedAt);
        request.RecordNotifiedRecipients([], VerifiedAt);
        Assert.True(request.TryComplete(VerifiedAt.AddSeconds(90)));

        metrics.Completed(request);

        Assert.Contains(("procexon.requests.completed", 1d, "erasure"), _measurements);
        Assert.Contains(("procexon.requests.erasure_duration", 90_000d, null), _measurements);
    }

    [Fact]
    public void Gauges_report_the_last_counted_values_without_asking_anything()
    {
        var metrics = _services.GetRequiredService<RightsRequestsMetrics>();

        metrics.SetOpenCounts(open: 12, overdue: 3);
        _listener.RecordObservableInstruments();

        Assert.Contains(("procexon.requests.open", 12d, null), _measurements);
        Assert.Contains(("procexon.requests.overdue", 3d, null), _measurements);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? type = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "type")
            {
                type = tag.Value as string;
            }
        }

        _measurements.Add((instrument.Name, value, type));
    }
}
