namespace Atlas.Moderation.Consumers;

/// <summary>The failures waited out (see <see cref="TransientRetryDefinition{TConsumer}"/>): PostgreSQL, Redis or the broker being away.</summary>
public static class Outages
{
    public static bool IsOutage(Exception exception) => exception switch
    {
        Npgsql.NpgsqlException npgsql => IsDatabaseOutage(npgsql),
        StackExchange.Redis.RedisException or TimeoutException => true,
        _ => false,
    };

    /// <summary>Connection failures, the server shutting down, starting up or out of resources, a conflict to retry; not a bad query.</summary>
    public static bool IsDatabaseOutage(Npgsql.NpgsqlException exception) =>
        exception is not Npgsql.PostgresException postgres || IsUnavailable(postgres.SqlState);

    private static bool IsUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("57P", StringComparison.Ordinal) || sqlState == "55000" || sqlState == "40001" || sqlState == "40P01";
}
