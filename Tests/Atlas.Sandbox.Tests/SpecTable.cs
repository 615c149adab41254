using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.BotApi;
using Atlas.Sandbox.Telegram.Spec;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Sandbox.Tests;

/// <summary>The parameter table embedded in the Sandbox is exactly what the vendored Bot API spec says.</summary>
public sealed class SpecTable(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly JsonObject Vendored = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Specs", "telegram-bot-api.json")))!.AsObject();
    private readonly BotApiSpec _embedded = BotApiSpec.Load();

    [Fact]
    public void Comes_from_the_same_version_of_the_spec()
    {
        _embedded.Version.Should().Be(Vendored["version"]!.GetValue<string>());
        _embedded.ReleaseDate.Should().Be(Vendored["release_date"]!.GetValue<string>());
    }

    [Fact]
    public void Has_every_method_with_the_vendored_returns_and_fields()
    {
        foreach (var (name, method) in _embedded.Methods)
        {
            var vendored = Vendored["methods"]![name]!.AsObject();
            method.Returns.Should().Equal(Strings(vendored["returns"]), name);
            Fields(method.Fields).Should().Equal(VendoredFields(vendored), name);
        }
    }

    [Fact]
    public void Has_every_object_type_the_parameters_use_with_the_vendored_fields()
    {
        var reachable = new HashSet<string>();
        var pending = new Stack<string>(_embedded.Methods.Values.SelectMany(m => m.Fields).SelectMany(f => f.Types));
        while (pending.TryPop(out var type))
        {
            var element = type.Replace("Array of ", "", StringComparison.Ordinal);
            if (element is "Integer" or "Float" or "String" or "Boolean" or "True" or "InputFile" || !reachable.Add(element))
            {
                continue;
            }

            var vendored = Vendored["types"]![element]!.AsObject();
            _embedded.Types.Should().ContainKey(element);
            var embedded = _embedded.Types[element];
            Fields(embedded.Fields).Should().Equal(VendoredFields(vendored), element);
            embedded.Subtypes.Should().Equal(Strings(vendored["subtypes"]), element);
            foreach (var next in embedded.Fields.SelectMany(f => f.Types).Concat(embedded.Subtypes))
            {
                pending.Push(next);
            }
        }

        _embedded.Types.Keys.Should().BeEquivalentTo(reachable);
    }

    [Fact]
    public void Serves_exactly_the_methods_of_the_table()
    {
        var dispatcher = sandbox.Host.Services.GetRequiredService<BotApiDispatcher>();

        dispatcher.ServedMethods.Should().BeEquivalentTo(_embedded.Methods.Keys);
    }

    private static List<string> Fields(IEnumerable<FieldSpec> fields) =>
        fields.Select(f => $"{f.Name}:{string.Join('|', f.Types)}:{f.Required}").ToList();

    private static List<string> VendoredFields(JsonObject owner) =>
        (owner["fields"]?.AsArray() ?? [])
            .Select(f => $"{f!["name"]}:{string.Join('|', Strings(f["types"]))}:{f["required"]!.GetValue<bool>()}")
            .ToList();

    private static List<string> Strings(JsonNode? array) => (array?.AsArray() ?? []).Select(s => s!.GetValue<string>()).ToList();
}
