global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.EntityFrameworkCore;
global using Procexon.Contracts;
global using Procexon.Registry.Apis;
global using Procexon.Registry.Extensions;
global using Procexon.Registry.Infrastructure;
global using Procexon.Registry.Model;
global using Procexon.Registry.IntegrationEvents;
