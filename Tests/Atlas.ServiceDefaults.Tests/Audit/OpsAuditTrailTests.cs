using System.Net;
using System.Net.Http.Json;
using Atlas.ServiceDefaults.Audit;
using Npgsql;

namespace Atlas.ServiceDefaults.Tests.Audit;

/// <summary>Every state-changing ops API call, allowed or refused, leaves one row: who, what, when and the outcome.</summary>
public sealed class OpsAuditTrailTests
{
    [Fact]
    public async Task A_successful_call_is_recorded_with_the_operator_the_source_and_its_status()
    {
        await using var app = await AuditedOpsApp.StartAsync("audit-ok");

        using var response = await app.SendAsync(HttpMethod.Post, "/demo/act", operatorName: "alice", source: "cli");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var row = (await app.RowsAsync()).Should().ContainSingle().Subject;
        row.Should().BeEquivalentTo(new
        {
            At = app.Clock.GetUtcNow(),
            Service = "demo",
            Actor = "alice",
            Source = OpsSources.Cli,
            Action = "POST /demo/act",
            Target = "/demo/act",
            Outcome = OpsOutcomes.Succeeded,
            Status = 200,
            Detail = (string?)null,
        });
        row.CompletedAt.Should().NotBeNull();
    }

    [Fact]
    public async Task A_failed_call_is_recorded_with_its_status_and_problem_detail_and_the_key_holder_as_actor()
    {
        await using var app = await AuditedOpsApp.StartAsync("audit-fail");

        using var response = await app.SendAsync(HttpMethod.Post, "/demo/fail");

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var row = (await app.RowsAsync()).Should().ContainSingle().Subject;
        (row.Actor, row.Source, row.Outcome, row.Status, row.Detail).Should().Be(
            (OpsCaller.KeyHolder, OpsSources.Api, OpsOutcomes.Failed, 409, "The switch is held by another operator."));
    }

    [Fact]
    public async Task A_refused_call_is_recorded_with_an_unknown_actor_and_the_claimed_name_and_does_not_run()
    {
        await using var app = await AuditedOpsApp.StartAsync("audit-refused");

        using var missing = await app.SendAsync(HttpMethod.Post, "/demo/act", key: null, operatorName: "mallory", source: "dashboard");
        using var wrong = await app.SendAsync(HttpMethod.Post, "/demo/fail", key: "guess");

        missing.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        app.Acted.Should().Be(0);
        var rows = await app.RowsAsync();
        rows.Should().HaveCount(2).And.OnlyContain(r => r.Actor == OpsCaller.Unknown && r.Outcome == OpsOutcomes.Refused && r.Status == 401);
        rows[0].Source.Should().Be(OpsSources.Dashboard);
        rows[0].Detail.Should().Contain("X-Admin-Key").And.Contain("claimed operator 'mallory'");
        rows[1].Action.Should().Be("POST /demo/fail");
    }

    [Fact]
    public async Task Reads_are_not_recorded()
    {
        await using var app = await AuditedOpsApp.StartAsync("audit-read");

        using var response = await app.SendAsync(HttpMethod.Get, "/demo/read");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await app.RowsAsync()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("this-operator-name-is-much-longer-than-the-sixty-four-characters-allowed", null)]
    [InlineData("alice", "pager")]
    public async Task A_malformed_caller_header_is_a_400_problem_recorded_as_refused_and_nothing_runs(string operatorName, string? source)
    {
        await using var app = await AuditedOpsApp.StartAsync("audit-badcaller");

        using var response = await app.SendAsync(HttpMethod.Post, "/demo/act", operatorName: operatorName, source: source);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        app.Acted.Should().Be(0);
        var row = (await app.RowsAsync()).Should().ContainSingle().Subject;
        (row.Outcome, row.Status).Should().Be((OpsOutcomes.Refused, 400));
    }

    [Fact]
    public async Task No_secret_reaches_the_log_neither_the_ops_key_nor_a_token_in_the_body()
    {
        await using var app = await AuditedOpsApp.StartAsync("audit-secret");
        const string token = "123456789:AAH-secret-bot-token-value-xyz";

        using var response = await app.SendAsync(HttpMethod.Post, "/demo/token", operatorName: "alice", body: JsonContent.Create(new { token }));
        using var refused = await app.SendAsync(HttpMethod.Post, "/demo/token", key: AuditedOpsApp.Key + "-typo", body: JsonContent.Create(new { token }));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var rows = await app.RowsAsync();
        rows.Should().HaveCount(2);
        var everything = string.Join('\n', rows.Select(r => r.ToString()));
        everything.Should().NotContain(token).And.NotContain(AuditedOpsApp.Key).And.NotContain("secret-bot-token");
    }

    [Fact]
    public async Task When_the_audit_row_cannot_be_written_the_action_is_refused_with_503_and_does_not_run()
    {
        await using var app = await AuditedOpsApp.StartAsync("audit-down");
        await app.ExecuteAsync("DROP TABLE ops_audit");

        using var response = await app.SendAsync(HttpMethod.Post, "/demo/act", operatorName: "alice");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain("ops audit log cannot be written");
        app.Acted.Should().Be(0);
    }

    [Fact]
    public async Task The_database_rejects_update_delete_and_truncate_of_a_row_and_a_second_outcome()
    {
        await using var app = await AuditedOpsApp.StartAsync("audit-appendonly");
        using var response = await app.SendAsync(HttpMethod.Post, "/demo/act", operatorName: "alice");
        response.StatusCode.Should().Be(HttpStatusCode.OK);

        foreach (var sql in (string[])[
                     "UPDATE ops_audit SET actor = 'bob'",
                     "UPDATE ops_audit SET outcome = 'failed', completed_at = now()",
                     "DELETE FROM ops_audit",
                     "TRUNCATE ops_audit"])
        {
            var change = () => app.ExecuteAsync(sql);
            (await change.Should().ThrowAsync<PostgresException>(sql)).Which.MessageText.Should().Contain("append-only");
        }

        (await app.RowsAsync()).Should().ContainSingle().Which.Should().Match<OpsAuditRecord>(r => r.Actor == "alice" && r.Outcome == OpsOutcomes.Succeeded);
    }
}
