using Atlas.AppHost.Audit;
using Atlas.AppHost.Ops;
using Atlas.ServiceDefaults.Audit;
using Atlas.ServiceDefaults.Security;
using Atlas.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.IntegrationTests;

/// <summary>
/// <c>audit export</c> without a whole stack: four services with the real ops audit (ServiceDefaults, each on its own
/// database) named in a discovery file, plus the AppHost's own audit file, merged into one time-ordered JSON Lines stream.
/// </summary>
public sealed class AuditExportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 5, 0, 0, TimeSpan.Zero);
    private readonly string _dataRoot = Directory.CreateTempSubdirectory("atlas-auditexport-").FullName;
    private readonly List<WebApplication> _services = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _services)
        {
            await app.DisposeAsync();
        }

        Directory.Delete(_dataRoot, recursive: true);
    }

    [Fact]
    public async Task Merges_every_service_and_the_apphost_file_into_one_time_ordered_stream_and_honours_the_range()
    {
        string[] names = ["gateway", "llmrouter", "workflow", "backup"];
        var urls = new List<Uri>();
        for (var i = 0; i < names.Length; i++)
        {
            // Service i acts at minute i and at minute 10 + i.
            urls.Add(await StartServiceAsync(names[i], Start.AddMinutes(i), Start.AddMinutes(10 + i)));
        }

        var apphost = new AppHostAuditFile(_dataRoot, new FakeTimeProvider(Start.AddMinutes(5)));
        apphost.Append(AuditCaller.Dashboard, "chaos redis-down", "redis", succeeded: true, "recovered in 3 s").Should().BeTrue();
        await Discovery(urls).WriteAsync(_dataRoot, CancellationToken.None);

        var (code, lines, errors) = await ExportAsync(new AuditInvocation(_dataRoot, null, null, null));
        var (rangeCode, inRange, _) = await ExportAsync(new AuditInvocation(_dataRoot, Start.AddMinutes(3), Start.AddMinutes(11), null));

        code.Should().Be(0, errors);
        lines.Should().HaveCount(9);
        lines.Select(l => l.At).Should().BeInAscendingOrder();
        lines.Select(l => l.Service).Should().Equal(
            "gateway", "llmrouter", "workflow", "backup", "apphost", "gateway", "llmrouter", "workflow", "backup");
        lines.Where(l => l.Service != "apphost").Should().OnlyContain(l => l.Actor == "alice" && l.Source == "cli" && l.Outcome == "succeeded");
        lines[4].Should().Match<AuditLine>(l => l.Actor == "dashboard" && l.Source == "dashboard" && l.Action == "chaos redis-down" && l.Target == "redis");
        rangeCode.Should().Be(0);
        inRange.Select(l => (l.Service, l.At)).Should().Equal(
            ("backup", Start.AddMinutes(3)), ("apphost", Start.AddMinutes(5)), ("gateway", Start.AddMinutes(10)));
    }

    [Fact]
    public async Task Without_a_running_stack_it_exports_the_apphost_rows_and_exits_1_naming_why()
    {
        new AppHostAuditFile(_dataRoot, new FakeTimeProvider(Start)).Append(AuditCaller.AppHost, "watchdog restart", "gateway", succeeded: true, null);

        var (code, lines, errors) = await ExportAsync(new AuditInvocation(_dataRoot, null, null, null));

        code.Should().Be(1);
        errors.Should().Contain("no running Atlas stack");
        lines.Should().ContainSingle().Which.Should().Match<AuditLine>(l => l.Actor == "watchdog" && l.Source == "apphost" && l.Id == 1);
    }

    [Fact]
    public void The_apphost_file_is_private_and_only_appended_to()
    {
        var file = new AppHostAuditFile(_dataRoot, new FakeTimeProvider(Start));

        file.Append(AuditCaller.Cli, "upgrade prepare", "stack", succeeded: true, null);
        file.Append(AuditCaller.Cli, "upgrade resume", "stack", succeeded: false, "refused: run verify first");

        File.GetUnixFileMode(file.Path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        file.Read(null, null).Select(l => (l.Id, l.Action, l.Outcome)).Should().Equal((1L, "upgrade prepare", "succeeded"), (2L, "upgrade resume", "failed"));
    }

    [Theory]
    [InlineData("audit export --from yesterday", "--from takes an ISO 8601 instant")]
    [InlineData("audit export --from 2026-03-03T00:00:00Z --to 2026-03-02T00:00:00Z", "--from must not be after --to")]
    [InlineData("audit import", "audit needs a verb: export")]
    public void A_bad_command_line_is_refused_with_the_reason_and_the_usage(string line, string reason)
    {
        AuditCommandLine.TryParse(line.Split(' '), out var invocation, out var error).Should().BeTrue();

        invocation.Should().BeNull();
        error.Should().Contain(reason).And.Contain("Usage:");
    }

    [Fact]
    public void The_command_line_takes_the_range_the_output_and_the_data_folder()
    {
        AuditCommandLine.TryParse(
            ["audit", "export", "--from", "2026-03-02T05:00:00Z", "--to", "2026-03-02T06:00:00+01:00", "--output", "out.jsonl", "--data", _dataRoot],
            out var invocation, out var error).Should().BeTrue();

        error.Should().BeNull();
        invocation.Should().Be(new AuditInvocation(Path.GetFullPath(_dataRoot), Start, Start, "out.jsonl"));
        AuditCaller.CliUser("ops\u0001user").Should().Be("cli-user");
    }

    private static async Task<(int Code, List<AuditLine> Lines, string Errors)> ExportAsync(AuditInvocation invocation)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await AuditExport.RunAsync(invocation, output, errors, CancellationToken.None);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => AuditLine.Parse(l)!).ToList();
        return (code, lines, errors.ToString());
    }

    private static StackDiscovery Discovery(List<Uri> urls) => new()
    {
        ProcessId = Environment.ProcessId,
        Gateway = urls[0],
        LlmRouter = urls[1],
        Workflow = urls[2],
        Backup = urls[3],
        GatewayAdminKey = "gateway-key",
        LlmRouterAdminKey = "llmrouter-key",
        WorkflowOpsKey = "workflow-key",
        BackupOpsKey = "backup-key",
    };

    // A service with the real ops audit on its own database; an operator acts once at each given time.
    private async Task<Uri> StartServiceAsync(string name, params DateTimeOffset[] actsAt)
    {
        var resources = await IsolatedResources.CreateAsync("auditexport-" + name);
        var clock = new FakeTimeProvider(actsAt[0]);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.ListenOnFreePort();
        builder.Configuration[$"{name}:OpsKey"] = $"{name}-key";
        builder.Configuration[$"ConnectionStrings:{name}db"] = resources.Database;
        builder.Configuration["OTEL_SERVICE_NAME"] = name;
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddNpgsqlDataSource($"{name}db");
        builder.AddDatabaseMigrations<AuditExportTests>();
        builder.AddOpsAudit($"{name}:OpsKey");
        var app = builder.Build();
        app.MapPost("/act", () => TypedResults.Ok()).RequireOpsKey($"{name}:OpsKey");
        app.MapOpsAuditApi($"{name}:OpsKey");
        await app.StartAsync();
        _services.Add(app);
        var url = Loopback.BaseUrl(app);
        using var client = new HttpClient { BaseAddress = url };
        foreach (var at in actsAt)
        {
            clock.SetUtcNow(at);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("act", UriKind.Relative));
            request.Headers.Add(OpsKey.HeaderName, $"{name}-key");
            new AuditCaller("alice", "cli").Apply(request);
            using var response = await client.SendAsync(request);
            response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        }

        return url;
    }
}
