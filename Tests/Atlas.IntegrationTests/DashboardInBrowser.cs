using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Atlas.Testing;
using Microsoft.Playwright;

namespace Atlas.IntegrationTests;

/// <summary>
/// The Aspire dashboard as ops use it, in Debian's chromium: log in with the printed token, see every resource running
/// and healthy, run the gateway's "Freeze inbound" command from its Actions menu, and follow a message typed in the
/// Sandbox chat page to one trace that holds the gateway's spans and the bus consumer's that handled it.
/// </summary>
[Collection("stack")]
public sealed class DashboardInBrowser(RunningAtlas stack) : IAsyncLifetime
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
        _page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        _page.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(90_000);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    [Fact]
    public async Task Ops_log_in_see_every_resource_healthy_freeze_the_gateway_and_follow_a_message_to_its_trace()
    {
        await LogInAsync();

        foreach (var name in RunningAtlas.Infrastructure.Concat(RunningAtlas.Services).Append("sandbox"))
        {
            // The state cell's title reads "Running" for a running, healthy resource ("Resource is running but not in a
            // healthy state." otherwise); its text may also hold a count of error logs.
            var state = ResourceRow(name).GetByRole(AriaRole.Gridcell).Nth(1);
            await Assertions.Expect(state).ToHaveAttributeAsync("title", "Running");
        }

        await ResourceRow("gateway").GetByRole(AriaRole.Button, new() { Name = "Actions" }).ClickAsync();
        await _page.GetByRole(AriaRole.Menuitem, new() { Name = "Commands" }).ClickAsync();
        await _page.GetByRole(AriaRole.Menuitem, new() { Name = "Freeze inbound", Exact = true }).ClickAsync();
        await Eventually.PollAsync(GatewayFrozenAsync, frozen => frozen, TimeSpan.FromSeconds(30));
        await Assertions.Expect(_page.GetByText("\"Freeze inbound\" succeeded")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        (await stack.App.ResourceCommands.ExecuteCommandAsync("gateway", "unfreeze")).Success.Should().BeTrue();
        (await GatewayFrozenAsync()).Should().BeFalse();

        var typedAt = DateTimeOffset.UtcNow;
        await _page.GotoAsync(stack.App.GetEndpoint("sandbox", "http").ToString());
        await Assertions.Expect(_page.Locator("#bot option")).Not.ToHaveCountAsync(0);
        await _page.Locator("#text").FillAsync("/help");
        await _page.Locator("#text").PressAsync("Enter");
        await Assertions.Expect(_page.Locator("#messages")).ToContainTextAsync("/start");

        var trace = await Eventually.PollAsync(() => FindHandledUpdateTraceAsync(typedAt), t => t is not null, TimeSpan.FromSeconds(60));
        trace!.Value.Services.Should().Contain("gateway");
        trace.Value.Spans.Should().Contain(s => s.EndsWith(" process", StringComparison.Ordinal), "the bus consumer that handled the update is in the same trace")
            .And.Contain("telegram sendMessage", "the reply's send continues that trace");

        // The same trace, as ops see it in the dashboard.
        await _page.GotoAsync(new Uri(stack.Dashboard, $"traces/detail/{trace.Value.TraceId}").ToString());
        await Assertions.Expect(_page.GetByText("telegram sendMessage").First).ToBeVisibleAsync();
        await Assertions.Expect(_page.GetByText(trace.Value.Spans.First(s => s.EndsWith(" process", StringComparison.Ordinal))).First).ToBeVisibleAsync();
    }

    private ILocator ResourceRow(string name) =>
        _page.GetByRole(AriaRole.Row).Filter(new() { Has = _page.GetByRole(AriaRole.Gridcell, new() { NameRegex = new Regex($": {Regex.Escape(name)}$") }) });

    // Opens the login URL the AppHost printed (its token logs the browser in), as ops do from the console.
    private async Task LogInAsync()
    {
        var printed = await stack.PrintedLoginUrl.WaitAsync(TimeSpan.FromSeconds(30));
        printed.AbsolutePath.Should().Be("/login");
        await _page.GotoAsync(new Uri(stack.Dashboard, "login" + printed.Query).ToString());
        await Assertions.Expect(ResourceRow("gateway")).ToBeVisibleAsync();
    }

    private async Task<bool> GatewayFrozenAsync()
    {
        using var http = stack.App.CreateHttpClient("gateway", "http");
        http.DefaultRequestHeaders.Add("X-Admin-Key", await stack.SecretAsync("gateway-admin-key"));
        var status = await http.GetFromJsonAsync<JsonElement>(new Uri("/admin/status", UriKind.Relative));
        return status.GetProperty("frozen").GetBoolean();
    }

    // Through the dashboard's telemetry API: a trace begun after the message was typed, in which the gateway both
    // consumed an update from the bus ("… process") and sent the answer from its outbound queue ("telegram sendMessage").
    private async Task<(string TraceId, HashSet<string> Services, List<string> Spans)?> FindHandledUpdateTraceAsync(DateTimeOffset after)
    {
        using var http = new HttpClient { BaseAddress = stack.Dashboard };
        http.DefaultRequestHeaders.Add("x-api-key", stack.DashboardApiKey);
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/telemetry/spans?limit=5000", UriKind.Relative)));
        var afterNanos = (ulong)(after - DateTimeOffset.UnixEpoch).Ticks * 100;
        var traces = Flatten(document.RootElement).GroupBy(s => s.TraceId)
            .Where(t => t.Min(s => s.StartNanos) >= afterNanos)
            .Where(t => t.Any(s => s.Service == "gateway" && s.Name.EndsWith(" process", StringComparison.Ordinal)))
            .Where(t => t.Any(s => s.Service == "gateway" && s.Name == "telegram sendMessage"));
        return traces.Select(t => (t.Key, t.Select(s => s.Service).ToHashSet(), t.Select(s => s.Name).ToList()))
            .Cast<(string, HashSet<string>, List<string>)?>()
            .FirstOrDefault();
    }

    // OTLP JSON: resourceSpans[].resource.attributes (service.name), scopeSpans[].spans[] (traceId, name, start).
    private static IEnumerable<(string TraceId, string Service, string Name, ulong StartNanos, string Raw)> Flatten(JsonElement root)
    {
        foreach (var resourceSpans in root.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            if (!resourceSpans.TryGetProperty("scopeSpans", out var scopes))
            {
                continue;
            }

            var service = resourceSpans.TryGetProperty("resource", out var resource) && resource.TryGetProperty("attributes", out var attributes)
                ? attributes.EnumerateArray().Where(a => a.GetProperty("key").GetString() == "service.name")
                    .Select(a => a.GetProperty("value").GetProperty("stringValue").GetString()).FirstOrDefault() ?? ""
                : "";
            foreach (var span in scopes.EnumerateArray().SelectMany(s => s.GetProperty("spans").EnumerateArray()))
            {
                var start = span.TryGetProperty("startTimeUnixNano", out var value)
                    ? ulong.Parse(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText(), System.Globalization.CultureInfo.InvariantCulture)
                    : 0;
                yield return (span.GetProperty("traceId").GetString() ?? "", service, span.GetProperty("name").GetString() ?? "", start, span.GetRawText());
            }
        }
    }
}
