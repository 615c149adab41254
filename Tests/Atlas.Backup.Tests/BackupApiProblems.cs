using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Atlas.Backup.Tests.Support;

namespace Atlas.Backup.Tests;

/// <summary>Bad requests to /backups get RFC 9457 problem details that say what to send.</summary>
public sealed class BackupApiProblems : IAsyncLifetime
{
    private BackupWorld? _world;

    private BackupWorld World => _world!;

    public async Task InitializeAsync() => _world = await BackupWorld.StartAsync("apiproblems");

    public async Task DisposeAsync() => await World.DisposeAsync();

    [Fact]
    public async Task An_unknown_target_is_400_naming_the_known_ones()
    {
        var (status, problem) = await SendAsync(HttpMethod.Post, "/backups", """{"target":"nosuchdb"}""");

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString().Should().Contain("gatewaydb").And.Contain("redis").And.Contain("backupdb");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("null")]
    public async Task A_malformed_body_is_400(string body)
    {
        var (status, problem) = await SendAsync(HttpMethod.Post, "/backups", body);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.GetProperty("title").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task An_id_that_is_not_a_guid_is_400_and_an_unknown_one_404()
    {
        var (badStatus, _) = await SendAsync(HttpMethod.Get, "/backups/latest", null);
        var (missingStatus, missing) = await SendAsync(HttpMethod.Post, $"/backups/{Guid.NewGuid()}/verification", null);

        badStatus.Should().Be(HttpStatusCode.BadRequest);
        missingStatus.Should().Be(HttpStatusCode.NotFound);
        missing.GetProperty("title").GetString().Should().Be("No such backup");
    }

    [Theory]
    [InlineData("""{"into":"source"}""", "Restore not confirmed")]
    [InlineData("""{"into":"source","confirm":false}""", "Restore not confirmed")]
    [InlineData("""{"confirm":true}""", "Restore destination missing")]
    [InlineData("""{"into":"Bad-Name;drop","confirm":true}""", "Invalid database name")]
    [InlineData("""{"into":"pg_catalog","confirm":true}""", "Invalid database name")]
    [InlineData("""{"into":"d234567890123456789012345678901234567890123456789012345678901234","confirm":true}""", "Invalid database name")]
    public async Task A_restore_without_confirmation_or_a_valid_destination_is_400(string body, string title)
    {
        await World.ExecuteAsync("CREATE TABLE t (id int)");
        var id = (await World.BackUpAsync("gatewaydb")).GetProperty("id").GetGuid();

        var (status, problem) = await SendAsync(HttpMethod.Post, $"/backups/{id}/restore", body);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.GetProperty("title").GetString().Should().Be(title);
    }

    [Theory]
    [InlineData("""{"into":"source","confirm":true,"dryRun":true}""", "'dryRun'")]
    [InlineData("""{"into":"source","confrim":true}""", "'confrim'")]
    [InlineData("""{"into":"source","confirm":"yes"}""", "$.confirm")]
    public async Task A_restore_body_with_a_field_it_does_not_have_or_of_the_wrong_type_is_400_and_restores_nothing(string body, string named)
    {
        await World.ExecuteAsync("CREATE TABLE kept (id int)");
        var id = (await World.BackUpAsync("gatewaydb")).GetProperty("id").GetGuid();
        await World.ExecuteAsync("CREATE TABLE written_after (id int)");

        var (status, problem) = await SendAsync(HttpMethod.Post, $"/backups/{id}/restore", body);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.GetProperty("title").GetString().Should().Be("Malformed JSON body");
        problem.GetProperty("detail").GetString().Should().Contain(named).And.NotContain("Atlas.");
        (await World.ScalarAsync<bool>("SELECT to_regclass('written_after') IS NOT NULL")).Should().BeTrue("nothing was restored");
    }

    [Fact]
    public async Task Listing_a_target_that_is_neither_configured_nor_in_the_catalog_is_400_and_a_known_one_without_backups_is_empty()
    {
        var (status, problem) = await SendAsync(HttpMethod.Get, "/backups?target=gatewaydbb", null);
        using var known = await World.Client.GetAsync(new Uri("/backups?target=redis", UriKind.Relative));

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString().Should().Contain("'gatewaydbb' is not a backup target").And.Contain("redis");
        known.StatusCode.Should().Be(HttpStatusCode.OK);
        (await known.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task A_restore_into_an_existing_database_is_409()
    {
        var id = (await World.BackUpAsync("gatewaydb")).GetProperty("id").GetGuid();
        var existing = new Npgsql.NpgsqlConnectionStringBuilder(World.Source).Database!;

        var (status, problem) = await SendAsync(HttpMethod.Post, $"/backups/{id}/restore", $$"""{"into":"{{existing}}","confirm":true}""");

        status.Should().Be(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString().Should().Contain("already exists");
    }

    private async Task<(HttpStatusCode Status, JsonElement Problem)> SendAsync(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await World.Client.SendAsync(request);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone());
    }
}
