using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.BotApi;

namespace Atlas.Sandbox.Telegram.Spec;

/// <summary>
/// Checks a call's parameters against the spec table and converts them to their JSON types: required parameters
/// present and not empty; Integer, Float, String, Boolean, "Integer or String", InputFile, "Array of X" and object
/// types (given as JSON, checked field by field, unions by trying each member). Parameters the method does not know
/// are kept as given, as Telegram ignores them.
/// </summary>
internal sealed class ParameterValidator(BotApiSpec spec)
{
    private const int MaxDepth = 16;
    private const string ArrayPrefix = "Array of ";

    /// <summary>The converted parameters, or the "Bad Request: ..." description of the first problem.</summary>
    public (JsonObject? Parameters, string? Error) Validate(string method, MethodSpec methodSpec, RawParameters raw)
    {
        var result = new JsonObject();
        foreach (var field in methodSpec.Fields)
        {
            raw.Values.TryGetValue(field.Name, out var value);
            if (IsAbsent(value) && !(value is not null && EmptyIsMeaningful(method, field.Name)))
            {
                if (field.Required)
                {
                    return (null, "Bad Request: " + MissingText(method, field.Name));
                }

                continue;
            }

            if (!TryConvert(value!, field.Types, raw.Files.Contains(field.Name), 0, out var converted, out var problem))
            {
                return (null, problem is null
                    ? $"Bad Request: parameter \"{field.Name}\" must be of type {string.Join(" or ", field.Types)}"
                    : $"Bad Request: can't parse {field.Name}: {problem}");
            }

            result[field.Name] = converted;
        }

        foreach (var (name, value) in raw.Values)
        {
            if (!result.ContainsKey(name) && methodSpec.Fields.All(f => f.Name != name) && !IsAbsent(value))
            {
                result[name] = value!.DeepClone();
            }
        }

        return (result, null);
    }

    // setWebhook with url "" removes the webhook, so there an empty string is a value.
    private static bool EmptyIsMeaningful(string method, string field) => method == "setWebhook" && field == "url";

    private static bool IsAbsent(JsonNode? value) =>
        value is null || (value is JsonValue text && text.GetValueKind() == JsonValueKind.String && text.GetValue<string>().Length == 0);

    // Telegram's own wording where it is known; "<name> is empty" otherwise, as it answers for chat_id.
    private static string MissingText(string method, string field) => field switch
    {
        "text" when method is "sendMessage" or "editMessageText" => "message text is empty",
        _ => $"{field} is empty",
    };

    /// <summary>Tries each of <paramref name="types"/> in turn. <paramref name="problem"/> explains a malformed object or array.</summary>
    private bool TryConvert(JsonNode value, IReadOnlyList<string> types, bool isFile, int depth, out JsonNode? converted, out string? problem)
    {
        problem = null;
        foreach (var type in types)
        {
            if (TryConvert(value, type, isFile, depth, out converted, out var typeProblem))
            {
                return true;
            }

            problem ??= typeProblem;
        }

        converted = null;
        return false;
    }

    private bool TryConvert(JsonNode value, string type, bool isFile, int depth, out JsonNode? converted, out string? problem)
    {
        problem = null;
        converted = null;
        if (depth > MaxDepth)
        {
            problem = "JSON nested too deeply";
            return false;
        }

        switch (type)
        {
            case "Integer":
                return TryInteger(value, out converted);
            case "Float":
                return TryFloat(value, out converted);
            case "Boolean" or "True":
                return TryBoolean(value, out converted);
            case "String":
                return TryString(value, out converted);
            case "InputFile":
                converted = isFile || Kind(value) == JsonValueKind.String ? value.DeepClone() : null;
                return converted is not null;
        }

        if (type.StartsWith(ArrayPrefix, StringComparison.Ordinal))
        {
            return TryArray(value, type[ArrayPrefix.Length..], depth, out converted, out problem);
        }

        return TryObject(value, type, depth, out converted, out problem);
    }

    private bool TryArray(JsonNode value, string elementType, int depth, out JsonNode? converted, out string? problem)
    {
        converted = null;
        if (Parsed(value) is not JsonArray array)
        {
            problem = "JSON array expected";
            return false;
        }

        var result = new JsonArray();
        foreach (var item in array)
        {
            string? itemProblem = null;
            if (item is null || !TryConvert(item, elementType, false, depth + 1, out var element, out itemProblem))
            {
                problem = itemProblem ?? $"array elements must be of type {elementType}";
                return false;
            }

            result.Add(element);
        }

        converted = result;
        problem = null;
        return true;
    }

    private bool TryObject(JsonNode value, string type, int depth, out JsonNode? converted, out string? problem)
    {
        converted = null;
        problem = null;
        if (Parsed(value) is not JsonObject json)
        {
            problem = $"{type} must be a JSON object";
            return false;
        }

        if (!spec.Types.TryGetValue(type, out var typeSpec))
        {
            converted = json.DeepClone();
            return true;
        }

        if (typeSpec.Subtypes.Count > 0)
        {
            foreach (var subtype in typeSpec.Subtypes)
            {
                if (TryObject(json, subtype, depth + 1, out converted, out _))
                {
                    return true;
                }
            }

            problem = $"the object is none of the kinds of {type}";
            return false;
        }

        var result = new JsonObject();
        foreach (var field in typeSpec.Fields)
        {
            var fieldValue = json[field.Name];
            if (fieldValue is null)
            {
                if (field.Required)
                {
                    problem = $"Can't find field \"{field.Name}\"";
                    return false;
                }

                continue;
            }

            if (!TryConvert(fieldValue, field.Types, false, depth + 1, out var convertedField, out var fieldProblem))
            {
                problem = fieldProblem ?? $"Field \"{field.Name}\" must be of type {string.Join(" or ", field.Types)}";
                return false;
            }

            if (field.Value is not null && (convertedField as JsonValue)?.ToString() != field.Value)
            {
                problem = $"Field \"{field.Name}\" must be \"{field.Value}\"";
                return false;
            }

            result[field.Name] = convertedField;
        }

        foreach (var (name, fieldValue) in json)
        {
            if (!result.ContainsKey(name) && fieldValue is not null && typeSpec.Fields.All(f => f.Name != name))
            {
                result[name] = fieldValue.DeepClone();
            }
        }

        converted = result;
        return true;
    }

    /// <summary>An object or array given as a JSON string (query, form) is parsed; anything else is itself.</summary>
    private static JsonNode? Parsed(JsonNode value)
    {
        if (Kind(value) != JsonValueKind.String)
        {
            return value;
        }

        try
        {
            return JsonNode.Parse(value.GetValue<string>());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonValueKind Kind(JsonNode value) => value.GetValueKind();

    private static bool TryInteger(JsonNode value, out JsonNode? converted)
    {
        converted = Kind(value) switch
        {
            JsonValueKind.Number when value.AsValue().TryGetValue<long>(out var number) => JsonValue.Create(number),
            JsonValueKind.Number when value.AsValue().TryGetValue<double>(out var real) && real == Math.Floor(real) && Math.Abs(real) < 9e15 => JsonValue.Create((long)real),
            JsonValueKind.String when long.TryParse(value.GetValue<string>().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => JsonValue.Create(parsed),
            _ => null,
        };
        return converted is not null;
    }

    private static bool TryFloat(JsonNode value, out JsonNode? converted)
    {
        converted = Kind(value) switch
        {
            JsonValueKind.Number when value.AsValue().TryGetValue<double>(out var number) => JsonValue.Create(number),
            JsonValueKind.String when double.TryParse(value.GetValue<string>().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) => JsonValue.Create(parsed),
            _ => null,
        };
        return converted is not null;
    }

    private static bool TryBoolean(JsonNode value, out JsonNode? converted)
    {
        converted = Kind(value) switch
        {
            JsonValueKind.True => JsonValue.Create(true),
            JsonValueKind.False => JsonValue.Create(false),
            JsonValueKind.Number when value.AsValue().TryGetValue<long>(out var number) && number is 0 or 1 => JsonValue.Create(number == 1),
            JsonValueKind.String => value.GetValue<string>().Trim().ToUpperInvariant() switch
            {
                "TRUE" or "1" => JsonValue.Create(true),
                "FALSE" or "0" => JsonValue.Create(false),
                _ => null,
            },
            _ => null,
        };
        return converted is not null;
    }

    private static bool TryString(JsonNode value, out JsonNode? converted)
    {
        converted = Kind(value) switch
        {
            JsonValueKind.String => JsonValue.Create(value.GetValue<string>()),
            JsonValueKind.Number => JsonValue.Create(value.ToJsonString()),
            _ => null,
        };
        return converted is not null;
    }
}
