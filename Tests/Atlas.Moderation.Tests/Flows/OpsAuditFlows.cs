using System.Net;
using System.Text;
using System.Text.Json;
using Atlas.Moderation.Tests.Support;
using Atlas.Testing;

namespace Atlas.Moderation.Tests.Flows;

/// <summary>Chat-admin commands and the ops API both land in moderation's ops audit log: who, what, on what, and how it ended.</summary>
public sealed class OpsAuditFlows(ModerationWorld world) : IClassFixture<ModerationWorld>
{
    [Fact]
    public async Task A_ban_and_a_malformed_setflood_are_recorded_with_the_telegram_admin_the_target_and_the_outcome()
    {
        var chat = await world.NewChatAsync();
        await world.AdminSaysAsync(chat, "/ban 6201 10m spam");
        await world.WaitForReplyAsync(chat, t => t.StartsWith("User 6201 is banned", StringComparison.Ordinal));
        await world.AdminSaysAsync(chat, "/setflood lots");
        await world.WaitForReplyAsync(chat, t => t.StartsWith("Usage: /setflood", StringComparison.Ordinal));

        var rows = await Eventually.PollAsync(
            async () => (await ExportAsync()).Where(r => r.GetProperty("target").GetString()?.StartsWith($"chat {chat}", StringComparison.Ordinal) == true).ToList(),
            r => r.Count >= 2, TimeSpan.FromSeconds(30));

        rows.Select(r => (r.GetProperty("actor").GetString(), r.GetProperty("source").GetString(), r.GetProperty("action").GetString(),
                r.GetProperty("target").GetString(), r.GetProperty("outcome").GetString()))
            .Should().Equal(
                ($"telegram:{ModerationWorld.AdminId}", "bot", "/ban 6201 10m spam", $"chat {chat} user 6201", "succeeded"),
                ($"telegram:{ModerationWorld.AdminId}", "bot", "/setflood lots", $"chat {chat}", "failed"));
        rows[1].GetProperty("detail").GetString().Should().StartWith("Usage: /setflood");
    }

    [Fact]
    public async Task A_strictness_change_from_the_dashboard_is_recorded_with_its_operator_and_source()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/moderation/strictness", UriKind.Relative))
        {
            Content = new StringContent("""{"strict":false}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Atlas-Operator", "dashboard");
        request.Headers.Add("X-Atlas-Source", "dashboard");

        using var response = await world.Ops.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var row = (await ExportAsync()).Should().ContainSingle(r => r.GetProperty("action").GetString() == "PUT /moderation/strictness").Subject;
        (row.GetProperty("actor").GetString(), row.GetProperty("source").GetString(), row.GetProperty("outcome").GetString(), row.GetProperty("status").GetInt32())
            .Should().Be(("dashboard", "dashboard", "succeeded", 200));
    }

    [Fact]
    public async Task A_settings_put_with_a_misspelt_field_is_refused_and_the_chat_keeps_its_settings()
    {
        var chat = await world.NewChatAsync();
        await world.PutSettingsAsync(chat, """{"warnLimit":5,"lockLinks":true}""");

        using var content = new StringContent("""{"warnLimit":2,"lockLink":false}""", Encoding.UTF8, "application/json");
        using var response = await world.Ops.PutAsync(new Uri($"/moderation/chats/{chat}/settings", UriKind.Relative), content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("detail").GetString().Should().Contain("'lockLink'");
        using var settings = JsonDocument.Parse(await world.Ops.GetStringAsync(new Uri($"/moderation/chats/{chat}/settings", UriKind.Relative)));
        (settings.RootElement.GetProperty("warnLimit").GetInt32(), settings.RootElement.GetProperty("lockLinks").GetBoolean())
            .Should().Be((5, true), "a typo used to save every other setting as its default");
    }

    private async Task<List<JsonElement>> ExportAsync()
    {
        var text = await world.Ops.GetStringAsync(new Uri("/ops/audit", UriKind.Relative));
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }
}
