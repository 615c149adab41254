using System.Net;
using System.Text.Json;
using Atlas.ServiceDefaults.Audit;

namespace Atlas.ServiceDefaults.Tests.Audit;

/// <summary><c>GET /ops/audit</c>: the log as JSON Lines, oldest first, limited to a range; a bad range is a 400 problem.</summary>
public sealed class OpsAuditExportTests
{
    [Fact]
    public async Task Exports_the_rows_in_the_range_oldest_first_one_json_object_per_line()
    {
        await using var app = await AuditedOpsApp.StartAsync("audit-export");
        var start = app.Clock.GetUtcNow();
        foreach (var name in (string[])["first", "second", "third"])
        {
            using var acted = await app.SendAsync(HttpMethod.Post, "/demo/act", operatorName: name);
            acted.StatusCode.Should().Be(HttpStatusCode.OK);
            app.Clock.Advance(TimeSpan.FromHours(1));
        }

        var all = await ExportAsync(app, "");
        var middle = await ExportAsync(app, $"?from={Iso(start.AddMinutes(30))}&to={Iso(start.AddHours(2))}");
        var fromSecond = await ExportAsync(app, $"?from={Iso(start.AddHours(1))}");

        all.Select(r => r.Actor).Should().Equal("first", "second", "third");
        all.Select(r => r.At).Should().BeInAscendingOrder();
        middle.Select(r => r.Actor).Should().Equal("second");
        fromSecond.Select(r => r.Actor).Should().Equal("second", "third");
    }

    [Theory]
    [InlineData("?from=yesterday")]
    [InlineData("?to=2026-13-45T00:00:00Z")]
    [InlineData("?from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z")]
    public async Task A_bad_range_is_a_400_problem(string query)
    {
        await using var app = await AuditedOpsApp.StartAsync("audit-badrange");

        using var response = await app.SendAsync(HttpMethod.Get, "/ops/audit" + query);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain("Bad audit range");
    }

    [Fact]
    public async Task The_export_needs_the_ops_key()
    {
        await using var app = await AuditedOpsApp.StartAsync("audit-exportkey");

        using var response = await app.SendAsync(HttpMethod.Get, "/ops/audit", key: null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static async Task<List<OpsAuditRecord>> ExportAsync(AuditedOpsApp app, string query)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/ops/audit" + query);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(OpsAuditApi.ContentType);
        var text = await response.Content.ReadAsStringAsync();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().OnlyContain(l => l.StartsWith('{') && l.Contains("\"outcome\":", StringComparison.Ordinal));
        return [.. lines.Select(l => JsonSerializer.Deserialize<OpsAuditRecord>(l, OpsAuditApi.LineFormat)!)];
    }

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
}
