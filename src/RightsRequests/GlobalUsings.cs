global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.EntityFrameworkCore;
global using Procexon.Contracts;
global using Procexon.RightsRequests.Apis;
global using Procexon.RightsRequests.Extensions;
global using Procexon.RightsRequests.Infrastructure;
global using Procexon.RightsRequests.IntegrationEvents;
global using Procexon.RightsRequests.Model;
