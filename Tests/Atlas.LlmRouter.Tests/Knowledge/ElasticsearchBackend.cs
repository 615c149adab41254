using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atlas.LlmRouter.Knowledge;
using Atlas.LlmRouter.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atlas.LlmRouter.Tests.Knowledge;

/// <summary>
/// The knowledge base on Elasticsearch (<c>ConnectionStrings:elasticsearch</c>), through the official client against
/// the Sandbox's stand-in: same API and result shape as PostgreSQL, the index created with mappings, upserts that
/// keep the created time, retention by delete_by_query, and grounding from it.
/// </summary>
public sealed class ElasticsearchBackend
{
    private const string Index = "atlas-knowledge";

    [Fact]
    public async Task Documents_go_to_the_index_with_its_mappings_and_search_answers_in_the_same_shape_with_bold_snippets()
    {
        await using var world = await RouterWorld.StartAsync(elasticsearch: true);

        await world.AddDocumentsAsync(
            new { id = "es-wifi", title = "Office Wi-Fi", body = "Guests join the Atlas-Guest network. The password is on the reception desk.", source = "it/wifi.md", language = "en" },
            new { id = "es-lunch", title = "Lunch", body = "The canteen serves lunch from noon until two.", source = "hr/lunch.md", language = "en" });
        var result = await world.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=guest+network+password", UriKind.Relative));

        var hit = result!["hits"]!.AsArray().Should().ContainSingle().Subject!.AsObject();
        hit["documentId"]!.GetValue<string>().Should().Be("es-wifi");
        hit["title"]!.GetValue<string>().Should().Be("Office Wi-Fi");
        hit["source"]!.GetValue<string>().Should().Be("it/wifi.md");
        hit["snippet"]!.GetValue<string>().Should().Contain("**Guest** **network**").And.NotContain("<em>");
        hit["rank"]!.GetValue<double>().Should().BePositive();
        var mapping = await world.SandboxHttp.GetFromJsonAsync<JsonObject>(new Uri($"elasticsearch/{Index}/_mapping", UriKind.Relative));
        var properties = mapping![Index]!["mappings"]!["properties"]!.AsObject();
        properties["title"]!["type"]!.GetValue<string>().Should().Be("text");
        properties["language"]!["type"]!.GetValue<string>().Should().Be("keyword");
        properties["updated"]!["type"]!.GetValue<string>().Should().Be("date");
        (await CountPostgresDocumentsAsync(world)).Should().Be(0, "with Elasticsearch configured nothing is written to PostgreSQL");
    }

    [Fact]
    public async Task Sending_a_document_again_updates_it_and_keeps_its_created_time()
    {
        await using var world = await RouterWorld.StartAsync(elasticsearch: true);
        await world.AddDocumentsAsync(new { id = "es-hours", title = "Opening hours", body = "The office opens at eight." });
        var first = await SourceAsync(world, "es-hours");

        await world.AddDocumentsAsync(new { id = "es-hours", title = "Opening hours", body = "The office opens at nine." });
        var second = await SourceAsync(world, "es-hours");

        second["body"]!.GetValue<string>().Should().Contain("nine");
        second["created"]!.GetValue<string>().Should().Be(first["created"]!.GetValue<string>());
        (await world.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=office+opens", UriKind.Relative)))!["hits"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task A_language_filter_and_Russian_text_work_on_the_index()
    {
        await using var world = await RouterWorld.StartAsync(elasticsearch: true);
        await world.AddDocumentsAsync(
            new { id = "es-ru", title = "Отпуск", body = "Отпуск оформляется через портал кадров." },
            new { id = "es-en", title = "Portal", body = "The HR portal handles leave requests." });

        var russian = await world.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=портал&lang=ru", UriKind.Relative));
        var english = await world.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=portal&lang=en", UriKind.Relative));

        russian!["hits"]!.AsArray().Select(h => h!["documentId"]!.GetValue<string>()).Should().Equal("es-ru");
        english!["hits"]!.AsArray().Select(h => h!["documentId"]!.GetValue<string>()).Should().Equal("es-en");
    }

    [Fact]
    public async Task Retention_deletes_by_query_what_was_not_updated_since_the_cutoff()
    {
        await using var world = await RouterWorld.StartAsync(elasticsearch: true);
        await world.AddDocumentsAsync(new { id = "es-a", title = "Alpha", body = "First entry" }, new { id = "es-b", title = "Beta", body = "Second entry" });
        var store = world.Factory.Services.GetRequiredService<IKnowledgeStore>();

        (await store.DeleteOlderThanAsync(DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None)).Should().Be(0);
        (await store.DeleteOlderThanAsync(DateTimeOffset.UtcNow.AddMinutes(5), CancellationToken.None)).Should().Be(2);

        (await world.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=entry", UriKind.Relative)))!["hits"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Grounding_and_bus_search_read_from_Elasticsearch()
    {
        await using var world = await RouterWorld.StartAsync(elasticsearch: true);
        await world.AddDocumentsAsync(new { id = "es-parking", title = "Parking", body = "Visitors park on level minus two and register at the gate." });

        var reply = await world.AskAsync("Where do visitors park?");
        var results = await world.SearchOverBusAsync("visitors park");

        reply.Text.Should().Contain("[sandbox model]").And.Contain("es-parking");
        results.Hits.Should().ContainSingle().Which.DocumentId.Should().Be("es-parking");
    }

    [Fact]
    public async Task A_PII_rejection_stores_nothing_in_the_index()
    {
        await using var world = await RouterWorld.StartAsync(elasticsearch: true);

        var response = await world.Http.PostAsJsonAsync(new Uri("/knowledge/documents", UriKind.Relative), new { id = "es-pii", title = "Contact", body = "Mail jane.doe@example.com" });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var search = await world.SandboxHttp.PostAsJsonAsync(new Uri($"elasticsearch/{Index}/_search", UriKind.Relative), new { query = new { match_all = new { } } });
        search.StatusCode.Should().Be(HttpStatusCode.NotFound, "the index is created on first use and nothing was stored");
    }

    [Fact]
    public async Task An_unreachable_Elasticsearch_is_a_503_problem_not_a_500()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?> { ["ConnectionStrings:elasticsearch"] = "http://127.0.0.1:1/" }, elasticsearch: true);

        using var response = await world.Http.GetAsync(new Uri("/knowledge/search?q=anything", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["title"]!.GetValue<string>().Should().Be("Knowledge base unavailable");
        problem.ToJsonString().Should().NotContain("127.0.0.1").And.NotContain("Exception");
    }

    private static async Task<JsonObject> SourceAsync(RouterWorld world, string id)
    {
        var response = await world.SandboxHttp.PostAsJsonAsync(new Uri($"elasticsearch/{Index}/_search", UriKind.Relative), new { query = new { match_all = new { } } });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["hits"]!["hits"]!.AsArray().Single(h => h!["_id"]!.GetValue<string>() == id)!["_source"]!.AsObject();
    }

    private static async Task<long> CountPostgresDocumentsAsync(RouterWorld world)
    {
        await using var connection = new NpgsqlConnection(world.Root.Resources.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM knowledge_documents", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
