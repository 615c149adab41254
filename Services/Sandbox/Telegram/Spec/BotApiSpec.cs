using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atlas.Sandbox.Telegram.Spec;

/// <summary>
/// The embedded parameter table (telegram-bot-api.methods.json, generated from the MIT-licensed Bot API spec):
/// the methods the Sandbox serves and the object types their parameters use.
/// </summary>
internal sealed class BotApiSpec
{
    public const string ResourceName = "Atlas.Sandbox.Telegram.Spec.telegram-bot-api.methods.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public required string Version { get; init; }

    public required string ReleaseDate { get; init; }

    public required Dictionary<string, MethodSpec> Methods { get; init; }

    public required Dictionary<string, TypeSpec> Types { get; init; }

    /// <summary>Reads the table embedded in this assembly.</summary>
    public static BotApiSpec Load()
    {
        using var stream = typeof(BotApiSpec).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        var spec = JsonSerializer.Deserialize<BotApiSpec>(stream, Json)
            ?? throw new InvalidOperationException($"{ResourceName} holds no table.");
        return new BotApiSpec
        {
            Version = spec.Version,
            ReleaseDate = spec.ReleaseDate,
            Methods = new Dictionary<string, MethodSpec>(spec.Methods, StringComparer.OrdinalIgnoreCase),
            Types = spec.Types,
        };
    }

    /// <summary>The method named <paramref name="name"/>, in any letter case (the Bot API ignores it).</summary>
    public MethodSpec? Method(string name) => Methods.GetValueOrDefault(name);

    /// <summary>The spelling the spec uses for <paramref name="name"/>.</summary>
    public string CanonicalName(string name) => Methods.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
}

/// <summary>One method: what it returns and its parameters.</summary>
internal sealed record MethodSpec(IReadOnlyList<string> Returns, IReadOnlyList<FieldSpec> Fields);

/// <summary>One object type: its fields, or the types it may be when it is a union.</summary>
internal sealed record TypeSpec(IReadOnlyList<FieldSpec> Fields, IReadOnlyList<string> Subtypes);

/// <summary>A parameter or object field: its name, the types it may have, whether it must be given, and a fixed value when it has one.</summary>
internal sealed record FieldSpec(
    string Name,
    IReadOnlyList<string> Types,
    bool Required,
    [property: JsonPropertyName("value")] string? Value = null);
