using Atlas.Gateway.Locales;

namespace Atlas.Gateway.Workflow;

/// <summary>
/// Variables an operator types as <c>key=value</c>: one per line in the completion form, or space-separated after
/// <c>/workflow start &lt;process&gt;</c>. Names are letters, digits and <c>_</c> (not starting with a digit); values are
/// passed as typed (Workflow reads numbers, true/false and JSON, the rest as text).
/// </summary>
public static class OperatorVariables
{
    /// <summary>The form's "no variables" answer.</summary>
    public const string None = "-";

    /// <summary>The completion form's answer, one <c>key=value</c> per line (blank lines skipped).</summary>
    public static VariablesParse FromLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Trim() == None)
        {
            return VariablesParse.Valid(new Dictionary<string, string>(StringComparer.Ordinal));
        }

        var lines = text.Split('\n');
        return Parse(lines.Select((line, index) => (Item: line.Trim(), Number: index + 1)).Where(l => l.Item.Length > 0),
            (item, number) => VariablesParse.Invalid(TextKeys.TaskFormBadLine, number, item));
    }

    /// <summary>The <c>key=value</c> arguments of a command, separated by spaces.</summary>
    public static VariablesParse FromArguments(IEnumerable<string> arguments) =>
        Parse(arguments.Select((item, index) => (Item: item, Number: index + 1)), (item, _) => VariablesParse.Invalid(TextKeys.WorkflowBadArgument, item));

    private static VariablesParse Parse(IEnumerable<(string Item, int Number)> items, Func<string, int, VariablesParse> notKeyValue)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (item, number) in items)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return notKeyValue(item, number);
            }

            var name = item[..equals].Trim();
            if (!IsName(name))
            {
                return VariablesParse.Invalid(TextKeys.VariableBadName, name);
            }

            if (!variables.TryAdd(name, item[(equals + 1)..].Trim()))
            {
                return VariablesParse.Invalid(TextKeys.VariableDuplicate, name);
            }
        }

        return VariablesParse.Valid(variables);
    }

    private static bool IsName(string name) =>
        name.Length is > 0 and <= 64 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}

/// <summary>Parsed variables, or the text key (and its arguments) that names the problem.</summary>
public sealed record VariablesParse(IReadOnlyDictionary<string, string>? Variables, string? ErrorKey, object?[] ErrorArguments)
{
    public static VariablesParse Valid(IReadOnlyDictionary<string, string> variables) => new(variables, null, []);

    public static VariablesParse Invalid(string key, params object?[] arguments) => new(null, key, arguments);
}
