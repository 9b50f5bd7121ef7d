global using Procexon.Console.Apis;
global using Procexon.Console.Authentication;
global using Procexon.Console.Extensions;
global using Procexon.ServiceDefaults.Security;
