using Procexon.Messaging;

namespace Procexon.RightsRequests.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<RightsRequestsContext>("rightsrequestsdb");
        builder.AddServiceMessaging<RightsRequestsContext>("rightsrequests");
        builder.AddServiceOpenApi();
        return builder;
    }
}
