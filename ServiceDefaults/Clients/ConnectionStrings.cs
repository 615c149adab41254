using Microsoft.Extensions.Configuration;

namespace Atlas.ServiceDefaults.Clients;

/// <summary>Reads <c>ConnectionStrings:&lt;name&gt;</c> the way Aspire's client integrations do.</summary>
internal static class ConnectionStrings
{
    public static string Require(IConfiguration configuration, string name)
    {
        var value = configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{name} is not set. Run the stack with 'dotnet run --project AppHost', or set the " +
                $"environment variable ConnectionStrings__{name}.");
        }

        return value;
    }
}
