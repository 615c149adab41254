using YamlDotNet.Serialization;

namespace Atlas.AppHost.Deploy;

/// <summary>YAML documents from plain maps and lists (YamlDotNet), strings quoted wherever they would read back as another type.</summary>
internal static class Yaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .DisableAliases()
        .WithQuotingNecessaryStrings()
        .Build();

    public static Dictionary<string, object> Map(params (string Key, object? Value)[] entries)
    {
        var map = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                map[key] = value;
            }
        }

        return map;
    }

    public static string Documents(string header, IEnumerable<object> documents) =>
        header + string.Join("---\n", documents.Select(Serializer.Serialize));
}
