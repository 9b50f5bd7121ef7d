global using Procexon.Gateway.Extensions;
