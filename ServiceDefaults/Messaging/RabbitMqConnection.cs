namespace Atlas.ServiceDefaults.Messaging;

/// <summary>
/// The parts of an <c>amqp://user:pass@host:port/vhost</c> connection string (Aspire's RabbitMQ contract).
/// The vhost is the URL-decoded path; an empty path is the default vhost <c>/</c>. <c>amqps</c> turns TLS on.
/// </summary>
public sealed record RabbitMqConnection(string Host, ushort Port, string VirtualHost, string Username, string Password, bool UseTls = false)
{
    public static RabbitMqConnection Parse(string connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            throw new FormatException("ConnectionStrings:rabbitmq must be an amqp:// or amqps:// URI (amqp://user:pass@host:port/vhost).");
        }

        var userInfo = uri.UserInfo.Split(':', 2);
        var username = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest";
        var password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest";
        var path = uri.AbsolutePath.TrimStart('/');
        var virtualHost = path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
        var port = uri.IsDefaultPort || uri.Port < 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port;
        return new RabbitMqConnection(uri.Host, (ushort)port, virtualHost, username, password, uri.Scheme == "amqps");
    }
}
