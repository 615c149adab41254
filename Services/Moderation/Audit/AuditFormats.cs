using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Atlas.Moderation.Audit;

/// <summary>The audit export as CSV (RFC 4180, header row) or JSON Lines (one object per line).</summary>
public static class AuditFormats
{
    public const string CsvHeader = "audit_id,action_id,recorded_at,action,chat_id,user_id,message_id,until,rule,actor,reasons,excerpt,outcome";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string CsvLine(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var fields = new[]
        {
            record.AuditId.ToString(CultureInfo.InvariantCulture), record.ActionId.ToString(), record.RecordedAt.ToString("O", CultureInfo.InvariantCulture),
            record.Action, record.ChatId.ToString(CultureInfo.InvariantCulture), record.UserId.ToString(CultureInfo.InvariantCulture),
            record.MessageId?.ToString(CultureInfo.InvariantCulture) ?? "", record.Until?.ToString("O", CultureInfo.InvariantCulture) ?? "",
            record.Rule, record.Actor, string.Join("; ", record.Reasons), record.Excerpt ?? "", record.Outcome ?? "",
        };
        return string.Join(',', fields.Select(Quote));
    }

    public static string JsonLine(AuditRecord record) => JsonSerializer.Serialize(record, Json);

    // Quotes every field that needs it; a leading =, +, - or @ is prefixed with ' so a spreadsheet does not run it as a formula.
    private static string Quote(string field)
    {
        if (field.Length > 0 && field[0] is '=' or '+' or '-' or '@' && !long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            field = "'" + field;
        }

        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return field;
        }

        var quoted = new StringBuilder(field.Length + 2).Append('"');
        foreach (var c in field)
        {
            quoted.Append(c == '"' ? "\"\"" : c);
        }

        return quoted.Append('"').ToString();
    }
}
