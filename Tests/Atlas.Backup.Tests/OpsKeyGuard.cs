using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Backup.Tests.Support;

namespace Atlas.Backup.Tests;

/// <summary>Every /backups route needs the ops key: a restore overwrites data, a backup costs the servers work.</summary>
public sealed class OpsKeyGuard
{
    public static TheoryData<string, string> Routes => new()
    {
        { "POST", "/backups" },
        { "GET", "/backups" },
        { "GET", $"/backups/{Guid.NewGuid()}" },
        { "POST", "/backups/latest/verification" },
        { "POST", $"/backups/{Guid.NewGuid()}/verification" },
        { "GET", $"/backups/{Guid.NewGuid()}/verifications" },
        { "POST", $"/backups/{Guid.NewGuid()}/restore" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Without_or_with_a_wrong_key_every_route_is_401_and_nothing_runs(string method, string path)
    {
        await using var world = await BackupWorld.StartAsync("opskey");
        using var anonymous = world.Factory.CreateClient();
        using var wrong = world.Factory.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Admin-Key", BackupWorld.OpsKey + "x");

        var (missingStatus, missing) = await SendAsync(anonymous, method, path);
        var (wrongStatus, _) = await SendAsync(wrong, method, path);

        missingStatus.Should().Be(HttpStatusCode.Unauthorized);
        wrongStatus.Should().Be(HttpStatusCode.Unauthorized);
        missing.GetProperty("detail").GetString().Should().Contain("X-Admin-Key");
        (await world.ListAsync()).Should().BeEmpty("a refused request takes no backup");
    }

    [Fact]
    public async Task Without_a_configured_key_the_api_is_403_naming_the_setting()
    {
        await using var world = await BackupWorld.StartAsync("opskeyoff", new Dictionary<string, string?> { ["Backup:OpsApiKey"] = "" });

        var (status, problem) = await SendAsync(world.Client, "POST", "/backups");

        status.Should().Be(HttpStatusCode.Forbidden);
        problem.GetProperty("detail").GetString().Should().Contain("Backup:OpsApiKey");
    }

    [Fact]
    public async Task With_the_key_verify_latest_verifies_the_newest_backup_of_each_target()
    {
        await using var world = await BackupWorld.StartAsync("verifylatest", new Dictionary<string, string?> { ["Backup:VerifyAfterBackup"] = "false" });
        await world.ExecuteAsync("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 50);");
        await world.BackUpAsync("gatewaydb");
        var newest = (await world.BackUpAsync("gatewaydb")).GetProperty("id").GetGuid();

        using var response = await world.Client.PostAsync(new Uri("/backups/latest/verification?target=gatewaydb", UriKind.Relative), null);
        var verified = await response.Content.ReadFromJsonAsync<JsonElement>();
        var history = await world.Client.GetFromJsonAsync<JsonElement>(new Uri($"/backups/{newest}/verifications", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        verified.EnumerateArray().Select(b => b.GetProperty("id").GetGuid()).Should().Equal(newest);
        verified[0].GetProperty("verificationStatus").GetString().Should().Be("passed");
        history.EnumerateArray().Select(v => v.GetProperty("trigger").GetString()).Should().Equal("manual");
    }

    private static async Task<(HttpStatusCode Status, JsonElement Problem)> SendAsync(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { target = "all", into = "source", confirm = true });
        }

        using var response = await client.SendAsync(request);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone());
    }
}
