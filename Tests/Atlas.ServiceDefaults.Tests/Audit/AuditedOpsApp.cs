using Atlas.ServiceDefaults.Audit;
using Atlas.ServiceDefaults.Security;
using Atlas.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Atlas.ServiceDefaults.Tests.Audit;

/// <summary>
/// A small service with an audited ops API on its own real database: <c>POST /demo/act</c> (counts), <c>POST /demo/fail</c>
/// (409 problem), <c>POST /demo/token</c> (takes a secret in its body), <c>GET /demo/read</c>; the export at <c>/ops/audit</c>.
/// </summary>
internal sealed class AuditedOpsApp : IAsyncDisposable
{
    public const string KeyPath = "Demo:OpsKey";
    public const string Key = "demo-ops-key-7f3a9c";
    private int _acted;

    private AuditedOpsApp(WebApplication app, string database, FakeTimeProvider clock)
    {
        App = app;
        Database = database;
        Clock = clock;
        Client = new HttpClient { BaseAddress = Loopback.BaseUrl(app) };
    }

    public WebApplication App { get; }

    public string Database { get; }

    public FakeTimeProvider Clock { get; }

    public HttpClient Client { get; }

    public int Acted => Volatile.Read(ref _acted);

    public static async Task<AuditedOpsApp> StartAsync(string hint)
    {
        var resources = await IsolatedResources.CreateAsync(hint);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 5, 0, 0, TimeSpan.Zero));
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.ListenOnFreePort();
        builder.Configuration[KeyPath] = Key;
        builder.Configuration["ConnectionStrings:demodb"] = resources.Database;
        builder.Configuration["OTEL_SERVICE_NAME"] = "demo";
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddNpgsqlDataSource("demodb");
        builder.AddDatabaseMigrations<AuditedOpsApp>();
        builder.AddOpsAudit(KeyPath);
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        AuditedOpsApp? self = null;
        var ops = app.MapGroup("/demo").RequireOpsKey(KeyPath);
        ops.MapPost("/act", () =>
        {
            Interlocked.Increment(ref self!._acted);
            return TypedResults.Ok("done");
        });
        ops.MapPost("/fail", () => TypedResults.Problem("The switch is held by another operator.", statusCode: StatusCodes.Status409Conflict));
        ops.MapPost("/token", (TokenBody body) => TypedResults.Ok(body.Token.Length));
        ops.MapGet("/read", () => TypedResults.Ok("read"));
        app.MapOpsAuditApi(KeyPath);
        await app.StartAsync();
        self = new AuditedOpsApp(app, resources.Database, clock);
        return self;
    }

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> with the given key and caller headers.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? key = Key, string? operatorName = null, string? source = null, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body };
        if (key is not null)
        {
            request.Headers.Add(OpsKey.HeaderName, key);
        }

        if (operatorName is not null)
        {
            request.Headers.Add(OpsCaller.OperatorHeader, operatorName);
        }

        if (source is not null)
        {
            request.Headers.Add(OpsCaller.SourceHeader, source);
        }

        return await Client.SendAsync(request);
    }

    public async Task<List<OpsAuditRecord>> RowsAsync()
    {
        var rows = new List<OpsAuditRecord>();
        await foreach (var row in App.Services.GetRequiredService<OpsAudit>().ReadAsync(null, null, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public sealed record TokenBody(string Token);
}
