using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atlas.ServiceDefaults.Http;

/// <summary>
/// Refuses a NUL character (U+0000) in any text of a request body. PostgreSQL stores no U+0000 in text or jsonb, so a
/// setting or a name carrying one was a 500 when it reached the database; refused while reading, it is a 400 that says
/// where (<see cref="BadRequestProblems"/>). Writing is unchanged; dictionary keys are checked the same way.
/// </summary>
public sealed class NulFreeStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString());

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString())!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value);
    }

    private static string? Checked(string? value) =>
        value is not null && value.Contains('\0', StringComparison.Ordinal)
            ? throw new JsonException("Text must not contain a NUL character (U+0000).")
            : value;
}
