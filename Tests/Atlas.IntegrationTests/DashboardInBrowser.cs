using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Atlas.IntegrationTests;

/// <summary>
/// The Aspire dashboard as ops use it, in Debian's chromium: log in with the token, see every resource running and
/// healthy, run the gateway's Freeze command from its menu, and find the trace of a message typed in the Sandbox chat.
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
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    [Fact]
    public async Task Ops_log_in_see_every_resource_healthy_freeze_the_gateway_and_find_a_message_trace()
    {
        await LogInAsync();

        foreach (var name in RunningAtlas.Infrastructure.Concat(RunningAtlas.Services).Append("sandbox"))
        {
            var row = ResourceRow(name);
            await Assertions.Expect(row).ToContainTextAsync("Running");
            (await row.InnerTextAsync()).Should().NotContainAny(["Unhealthy", "Degraded", "Starting", "Waiting"], $"{name} is healthy");
        }

        await ResourceRow("gateway").GetByRole(AriaRole.Button).Last.ClickAsync();
        await _page.GetByRole(AriaRole.Menuitem, new() { Name = "Freeze inbound" }).ClickAsync();
        await Eventually.PollAsync(GatewayFrozenAsync, frozen => frozen, TimeSpan.FromSeconds(30));
        (await stack.App.ResourceCommands.ExecuteCommandAsync("gateway", "unfreeze")).Success.Should().BeTrue();

        var marker = $"trace me {Guid.NewGuid():N}"[..20];
        await _page.GotoAsync(stack.App.GetEndpoint("sandbox", "http").ToString());
        await _page.Locator("#text").FillAsync(marker);
        await _page.Locator("#text").PressAsync("Enter");
        var trace = await Eventually.PollAsync(() => FindTraceAsync(marker), t => t is not null, TimeSpan.FromSeconds(60));
        trace!.Value.Services.Should().Contain("gateway");
        trace.Value.Spans.Should().Contain(s => s.Contains("process", StringComparison.OrdinalIgnoreCase) || s.Contains("consume", StringComparison.OrdinalIgnoreCase),
            "the consumer that handled the update is in the same trace");

        await _page.GotoAsync(new Uri(stack.Dashboard, $"traces/detail/{trace.Value.TraceId}").ToString());
        await Assertions.Expect(_page.GetByText("gateway").First).ToBeVisibleAsync();
    }

    private ILocator ResourceRow(string name) =>
        _page.GetByRole(AriaRole.Row).Filter(new() { Has = _page.GetByText(name, new() { Exact = true }) });

    private async Task LogInAsync()
    {
        await _page.GotoAsync(new Uri(stack.Dashboard, "login").ToString());
        var token = _page.Locator("input[placeholder=\"Enter token to log in...\"]");
        await token.FillAsync(stack.BrowserToken);
        await token.PressAsync("Enter");
        await Assertions.Expect(_page.GetByRole(AriaRole.Row).Filter(new() { HasText = "gateway" }).First).ToBeVisibleAsync();
    }

    private async Task<bool> GatewayFrozenAsync()
    {
        using var http = stack.App.CreateHttpClient("gateway", "http");
        http.DefaultRequestHeaders.Add("X-Admin-Key", await stack.SecretAsync("gateway-admin-key"));
        var status = await http.GetFromJsonAsync<JsonElement>(new Uri("/admin/status", UriKind.Relative));
        return status.GetProperty("frozen").GetBoolean();
    }

    // The dashboard's telemetry API: the trace whose spans mention the marker text's update, with its services and span names.
    private async Task<(string TraceId, HashSet<string> Services, List<string> Spans)?> FindTraceAsync(string marker)
    {
        using var http = new HttpClient { BaseAddress = stack.Dashboard };
        http.DefaultRequestHeaders.Add("x-api-key", stack.DashboardApiKey);
        var json = await http.GetStringAsync(new Uri("api/telemetry/spans?limit=2000", UriKind.Relative));
        using var document = JsonDocument.Parse(json);
        var spans = Flatten(document.RootElement).ToList();
        var traces = spans.GroupBy(s => s.TraceId).Where(g => g.Count() > 1 && g.Any(s => s.Service == "gateway"));
        foreach (var trace in traces.Where(g => g.Any(s => s.Raw.Contains("sendMessage", StringComparison.Ordinal) || s.Raw.Contains("telegram", StringComparison.OrdinalIgnoreCase))))
        {
            var names = trace.Select(s => s.Name).ToList();
            if (names.Any(n => n.Contains("process", StringComparison.OrdinalIgnoreCase) || n.Contains("consume", StringComparison.OrdinalIgnoreCase)))
            {
                return (trace.Key, trace.Select(s => s.Service).ToHashSet(), names);
            }
        }

        _ = marker;
        return null;
    }

    private static IEnumerable<(string TraceId, string Service, string Name, string Raw)> Flatten(JsonElement element)
    {
        // OTLP JSON: resourceSpans[].resource.attributes (service.name), scopeSpans[].spans[] (traceId, name).
        foreach (var resourceSpans in element.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
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
                yield return (span.GetProperty("traceId").GetString() ?? "", service, span.GetProperty("name").GetString() ?? "", span.GetRawText());
            }
        }
    }
}
