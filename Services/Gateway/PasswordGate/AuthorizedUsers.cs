using System.Collections.Concurrent;
using Npgsql;

namespace Atlas.Gateway.PasswordGate;

/// <summary>
/// Users who passed the password gate, in PostgreSQL table <c>authorized_users</c> (so a lost Redis forgets nobody),
/// remembered in memory once seen: an authorization is never taken back.
/// </summary>
public sealed class AuthorizedUsers(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<long, bool> _known = new();

    public async Task<bool> IsAuthorizedAsync(long userId, CancellationToken cancellationToken)
    {
        if (_known.ContainsKey(userId))
        {
            return true;
        }

        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM authorized_users WHERE user_id = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        var authorized = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (authorized)
        {
            _known[userId] = true;
        }

        return authorized;
    }

    public async Task AuthorizeAsync(long userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO authorized_users (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        _known[userId] = true;
    }
}
