using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Testing;

/// <summary>Test web apps on 127.0.0.1 with a port Kestrel picks, so parallel tests never race for one.</summary>
public static class Loopback
{
    /// <summary>Binds to 127.0.0.1 on a free port chosen when the server starts; read it back with <see cref="BaseUrl"/>.</summary>
    public static IWebHostBuilder ListenOnFreePort(this IWebHostBuilder webHost) => webHost.UseUrls("http://127.0.0.1:0");

    /// <summary>The started app's address, ending in "/" so relative URLs resolve below it.</summary>
    public static Uri BaseUrl(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The app has no listening address; start it first.");
        return new Uri(address.TrimEnd('/') + "/");
    }
}
