global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.EntityFrameworkCore;
global using Procexon.Identity.Apis;
global using Procexon.Identity.Extensions;
global using Procexon.Identity.Infrastructure;
global using Procexon.Identity.Model;
global using Procexon.ServiceDefaults.Security;
