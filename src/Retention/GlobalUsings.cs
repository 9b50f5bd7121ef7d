global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.EntityFrameworkCore;
global using Procexon.Contracts;
global using Procexon.Retention.Apis;
global using Procexon.Retention.Extensions;
global using Procexon.Retention.Infrastructure;
global using Procexon.Retention.Model;
global using Procexon.ServiceDefaults.Security;
