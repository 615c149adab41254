using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Atlas.AppHost.Infrastructure;

/// <summary>
/// The readiness checks behind <c>WaitFor</c>: a server is healthy when it answers its own protocol, not merely when
/// its port is open.
/// </summary>
internal static class ServerHealthChecks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>Healthy when Redis answers AUTH and PING with +PONG.</summary>
    public static async Task<HealthCheckResult> RedisAsync(int port, string password, CancellationToken cancellationToken)
    {
        var reply = await ExchangeAsync(port, Encoding.ASCII.GetBytes($"AUTH {password}\r\nPING\r\n"),
            text => text.Contains("PONG", StringComparison.Ordinal) || text.Contains("-ERR", StringComparison.Ordinal) || text.Contains("-WRONGPASS", StringComparison.Ordinal),
            cancellationToken).ConfigureAwait(false);
        return reply.Contains("+PONG", StringComparison.Ordinal) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(Summary(reply, "no PONG"));
    }

    /// <summary>Healthy when <c>SELECT 1</c> runs; with <paramref name="createDatabase"/>, creates that database first when it is missing.</summary>
    public static async Task<HealthCheckResult> PostgresAsync(string connectionString, string? createDatabase, CancellationToken cancellationToken)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = (int)Timeout.TotalSeconds };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (createDatabase is not null)
            {
                await EnsureDatabaseAsync(connection, createDatabase, cancellationToken).ConfigureAwait(false);
            }

            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy(exception is PostgresException postgres ? $"{postgres.SqlState} {postgres.MessageText}" : exception.GetType().Name);
        }
    }

    /// <summary>Healthy when the broker answers the AMQP 0-9-1 protocol header with a Connection.Start frame.</summary>
    public static async Task<HealthCheckResult> RabbitMqAsync(int port, Uri? management, CancellationToken cancellationToken)
    {
        var reply = await ExchangeAsync(port, "AMQP\0\0\x09\x01"u8.ToArray(), text => text.Length >= 7, cancellationToken).ConfigureAwait(false);
        // A method frame (type 1) on channel 0: the broker speaks AMQP and is accepting connections.
        if (reply.Length < 7 || reply[0] != '\x01')
        {
            return HealthCheckResult.Unhealthy(reply.Length == 0 ? "no answer to the AMQP header" : "unexpected answer to the AMQP header");
        }

        if (management is null)
        {
            return HealthCheckResult.Healthy();
        }

        // The management API is what the tests use to create their virtual hosts: wait for it too.
        try
        {
            using var http = new HttpClient { Timeout = Timeout };
            using var response = await http.GetAsync(new Uri(management, "api/overview"), cancellationToken).ConfigureAwait(false);
            // 401 without credentials: the plugin is up and guarding its API.
            return (int)response.StatusCode is 200 or 401 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"management answered {(int)response.StatusCode}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy("management API not answering");
        }
    }

    private static async Task EnsureDatabaseAsync(NpgsqlConnection connection, string database, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = database });
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Created a moment ago by another check or AppHost.
        }
    }

    private static async Task<string> ExchangeAsync(int port, byte[] request, Func<string, bool> complete, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var text = new StringBuilder();
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(request, timeout.Token).ConfigureAwait(false);
            var buffer = new byte[512];
            while (!complete(text.ToString()))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                text.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Not up yet: an empty answer.
        }

        return text.ToString();
    }

    private static string Summary(string reply, string fallback) =>
        reply.Length == 0 ? "no answer" : reply.Contains("-ERR", StringComparison.Ordinal) || reply.Contains("-WRONGPASS", StringComparison.Ordinal) ? "refused the password" : fallback;
}
