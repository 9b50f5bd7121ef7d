global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.EntityFrameworkCore;
global using Procexon.Contracts;
global using Procexon.DisclosureLog.Apis;
global using Procexon.DisclosureLog.Extensions;
global using Procexon.DisclosureLog.Infrastructure;
global using Procexon.DisclosureLog.Model;
