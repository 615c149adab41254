namespace Atlas.Gateway.PasswordGate;

/// <summary>
/// <c>Gateway:PasswordGate</c> (aliases <c>LUKA_PASSWORD_ENABLED</c>, <c>LUKA_PASSWORD</c>): whether users must send
/// a password once before the bot serves them, the password (a secret), and how many wrong attempts are allowed.
/// </summary>
public sealed class PasswordGateOptions
{
    public const string SectionName = "Gateway:PasswordGate";

    public bool Enabled { get; set; }

    /// <summary>The password (secret: environment, user secrets or AppHost parameter only; never logged).</summary>
    public string? Password { get; set; }

    /// <summary>Wrong attempts allowed within <see cref="AttemptWindow"/> before the user is locked out.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The window wrong attempts are counted in; a lockout lasts until it ends.</summary>
    public TimeSpan AttemptWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Fills the options from configuration. <c>Enabled</c> accepts true/false, 1/0, yes/no and on/off (the seed's
    /// <c>LUKA_PASSWORD_ENABLED=1</c>); anything else is an error naming the key.
    /// </summary>
    public void Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var enabled = section["Enabled"];
        Enabled = enabled?.Trim().ToUpperInvariant() switch
        {
            null or "" or "FALSE" or "0" or "NO" or "OFF" => false,
            "TRUE" or "1" or "YES" or "ON" => true,
            _ => throw new InvalidOperationException(
                $"{SectionName}:Enabled (or LUKA_PASSWORD_ENABLED) must be true or false; '{enabled}' is neither."),
        };
        Password = section["Password"];
        if (int.TryParse(section["MaxAttempts"], out var attempts))
        {
            MaxAttempts = attempts;
        }

        if (TimeSpan.TryParse(section["AttemptWindow"], System.Globalization.CultureInfo.InvariantCulture, out var window))
        {
            AttemptWindow = window;
        }
    }

    /// <summary>Null when the options make sense, else what is wrong (with the configuration path).</summary>
    public string? Validate() =>
        Enabled && string.IsNullOrEmpty(Password)
            ? $"{SectionName}:Password (or LUKA_PASSWORD) is required when the password gate is enabled ({SectionName}:Enabled / LUKA_PASSWORD_ENABLED)."
            : MaxAttempts is < 1 or > 100
                ? $"{SectionName}:MaxAttempts must be between 1 and 100."
                : AttemptWindow < TimeSpan.FromSeconds(1) ? $"{SectionName}:AttemptWindow must be at least one second." : null;
}
