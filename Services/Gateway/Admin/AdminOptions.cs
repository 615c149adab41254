using System.Globalization;

namespace Atlas.Gateway.Admin;

/// <summary>
/// <c>Gateway:Admins</c>: the Telegram user ids allowed to use the admin commands (/freeze, /unfreeze, /tier), as a
/// list (<c>Gateway:Admins:0</c>, ...) or one comma-separated value.
/// </summary>
public sealed class AdminOptions
{
    public const string ConfigurationKey = "Gateway:Admins";

    public IReadOnlySet<long> Admins { get; private set; } = new HashSet<long>();

    public bool IsAdmin(long? userId) => userId is { } id && Admins.Contains(id);

    /// <summary>Reads the ids; a value that is not a number is an error naming the key.</summary>
    public static AdminOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ConfigurationKey);
        var values = section.GetChildren().Select(c => c.Value).Append(section.Value)
            .Where(v => !string.IsNullOrWhiteSpace(v))
            .SelectMany(v => v!.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var ids = new HashSet<long>();
        foreach (var value in values)
        {
            if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
            {
                throw new InvalidOperationException($"{ConfigurationKey} must list Telegram user ids (numbers); '{value}' is not one.");
            }

            ids.Add(id);
        }

        return new AdminOptions { Admins = ids };
    }
}
