using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atlas.Testing.Sandbox;

namespace Atlas.Sandbox.Tests;

/// <summary>
/// The Elasticsearch stand-in's REST shapes for the calls the knowledge base makes: index create/exists/mapping,
/// NDJSON bulk (gzip as the official client sends it), search with multi_match, bool filters and highlight, and
/// delete_by_query, with the real server's error envelopes.
/// </summary>
public sealed class ElasticsearchStandIn : IAsyncLifetime
{
    private SandboxHost? _host;
    private HttpClient? _http;

    private HttpClient Http => _http ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_host.BaseUrl, "elasticsearch/") };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_root_and_every_answer_carry_the_product_header_the_clients_check()
    {
        using var root = await Http.GetAsync(new Uri("", UriKind.Relative));
        using var missing = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "nothing-here"));

        root.Headers.GetValues("X-Elastic-Product").Should().Equal("Elasticsearch");
        (await root.Content.ReadFromJsonAsync<JsonObject>())!["tagline"]!.GetValue<string>().Should().Be("You Know, for Search");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        missing.Headers.GetValues("X-Elastic-Product").Should().Equal("Elasticsearch");
    }

    [Fact]
    public async Task Creating_an_index_acknowledges_keeps_its_mappings_and_refuses_a_second_create_or_a_bad_name()
    {
        var mappings = new { mappings = new { properties = new { title = new { type = "text" }, tags = new { type = "keyword" } } } };

        using var created = await Http.PutAsJsonAsync(new Uri("docs", UriKind.Relative), mappings);
        using var again = await Http.PutAsJsonAsync(new Uri("docs", UriKind.Relative), mappings);
        using var upper = await Http.PutAsJsonAsync(new Uri("Docs", UriKind.Relative), mappings);
        using var exists = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "docs"));

        JsonNode.DeepEquals(await created.Content.ReadFromJsonAsync<JsonObject>(), JsonNode.Parse("""{"acknowledged":true,"shards_acknowledged":true,"index":"docs"}"""))
            .Should().BeTrue();
        exists.StatusCode.Should().Be(HttpStatusCode.OK);
        await ShouldBeErrorAsync(again, 400, "resource_already_exists_exception");
        await ShouldBeErrorAsync(upper, 400, "invalid_index_name_exception");
        var mapping = await Http.GetFromJsonAsync<JsonObject>(new Uri("docs/_mapping", UriKind.Relative));
        mapping!["docs"]!["mappings"]!["properties"]!["tags"]!["type"]!.GetValue<string>().Should().Be("keyword");
    }

    [Fact]
    public async Task A_gzipped_bulk_answers_each_item_on_its_own_and_flags_errors()
    {
        var ndjson = string.Join('\n',
            """{"index":{"_index":"bulk","_id":"1"}}""", """{"title":"first","n":1}""",
            """{"create":{"_index":"bulk","_id":"1"}}""", """{"title":"again"}""",
            """{"update":{"_index":"bulk","_id":"2"}}""", """{"doc":{"title":"nobody"}}""",
            """{"update":{"_index":"bulk","_id":"1"}}""", """{"doc":{"title":"changed"}}""",
            """{"update":{"_index":"bulk","_id":"3"}}""", """{"doc":{"title":"new"},"upsert":{"title":"inserted"}}""",
            """{"delete":{"_index":"bulk","_id":"3"}}""") + "\n";

        using var response = await Http.PostAsync(new Uri("_bulk?refresh=true", UriKind.Relative), Gzip(ndjson, "application/x-ndjson"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        body["errors"]!.GetValue<bool>().Should().BeTrue();
        var items = body["items"]!.AsArray().Select(i => i!.AsObject().Single()).ToList();
        items.Select(i => i.Key).Should().Equal("index", "create", "update", "update", "update", "delete");
        items.Select(i => i.Value!["status"]!.GetValue<int>()).Should().Equal(201, 409, 404, 200, 201, 200);
        items[1].Value!["error"]!["type"]!.GetValue<string>().Should().Be("version_conflict_engine_exception");
        items[2].Value!["error"]!["type"]!.GetValue<string>().Should().Be("document_missing_exception");
        items[3].Value!["result"]!.GetValue<string>().Should().Be("updated");
        items[3].Value!["_version"]!.GetValue<long>().Should().Be(2);
        var all = await SearchAsync("bulk", new { query = new { match_all = new { } } });
        all["hits"]!["hits"]!.AsArray().Single()!["_source"]!.ToJsonString().Should().Be("""{"title":"changed","n":1}""");
    }

    [Fact]
    public async Task Multi_match_ranks_by_boosted_fields_filters_by_term_and_highlights_with_the_default_or_given_tags()
    {
        await BulkAsync("kb",
            ("a", new { title = "Parking rules", body = "Visitors use the lower deck.", language = "en" }),
            ("b", new { title = "Visitors", body = "Parking for visitors is on the lower deck. Staff park upstairs.", language = "en" }),
            ("c", new { title = "Парковка", body = "Парковка для гостей внизу.", language = "ru" }));

        var ranked = await SearchAsync("kb", JsonNode.Parse("""
            {"query":{"bool":{"must":[{"multi_match":{"query":"parking","fields":["title^3","body"]}}],"filter":[{"term":{"language":"en"}}]}},
             "highlight":{"fields":{"body":{}}}}
            """)!);
        var custom = await SearchAsync("kb", JsonNode.Parse("""
            {"size":1,"query":{"multi_match":{"query":"staff upstairs","fields":["body"]}},
             "highlight":{"pre_tags":["**"],"post_tags":["**"],"fields":{"body":{"fragment_size":40,"number_of_fragments":1}}}}
            """)!);

        var hits = ranked["hits"]!["hits"]!.AsArray();
        ranked["hits"]!["total"]!["value"]!.GetValue<int>().Should().Be(2);
        hits.Select(h => h!["_id"]!.GetValue<string>()).Should().Equal("a", "b");
        hits[0]!["_score"]!.GetValue<double>().Should().BeGreaterThan(hits[1]!["_score"]!.GetValue<double>());
        hits[1]!["highlight"]!["body"]![0]!.GetValue<string>().Should().Be("<em>Parking</em> for visitors is on the lower deck.");
        custom["hits"]!["hits"]![0]!["highlight"]!["body"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("**Staff** park **upstairs**.");
    }

    [Fact]
    public async Task Unknown_queries_and_missing_indices_get_the_server_errors()
    {
        await BulkAsync("errors", ("1", new { title = "x" }));

        using var unknown = await Http.PostAsJsonAsync(new Uri("errors/_search", UriKind.Relative), new { query = new { fancy = new { } } });
        using var missing = await Http.PostAsJsonAsync(new Uri("nope/_search", UriKind.Relative), new { query = new { match_all = new { } } });

        await ShouldBeErrorAsync(unknown, 400, "parsing_exception");
        using var wrongType = await Http.PostAsJsonAsync(new Uri("errors/_search", UriKind.Relative), new { size = "ten", query = new { match_all = new { } } });
        await ShouldBeErrorAsync(wrongType, 400, "parsing_exception");
        (await ShouldBeErrorAsync(missing, 404, "index_not_found_exception"))["index"]!.GetValue<string>().Should().Be("nope");
    }

    [Fact]
    public async Task Delete_by_query_removes_what_a_date_range_matches_and_counts_it()
    {
        await BulkAsync("aging",
            ("old", new { title = "old", updated = "2026-01-01T00:00:00Z" }),
            ("new", new { title = "new", updated = "2026-11-30T00:00:00Z" }));

        using var response = await Http.PostAsJsonAsync(new Uri("aging/_delete_by_query?refresh=true", UriKind.Relative),
            new { query = new { range = new { updated = new { lt = "2026-06-01T00:00:00+00:00" } } } });

        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        body["deleted"]!.GetValue<long>().Should().Be(1);
        body["failures"]!.AsArray().Should().BeEmpty();
        (await SearchAsync("aging", new { query = new { match_all = new { } } }))["hits"]!["hits"]!.AsArray().Select(h => h!["_id"]!.GetValue<string>()).Should().Equal("new");
    }

    private async Task BulkAsync(string index, params (string Id, object Source)[] documents)
    {
        var ndjson = new StringBuilder();
        foreach (var (id, source) in documents)
        {
            ndjson.Append(new JsonObject { ["index"] = new JsonObject { ["_id"] = id } }.ToJsonString()).Append('\n')
                .Append(System.Text.Json.JsonSerializer.Serialize(source)).Append('\n');
        }

        using var response = await Http.PostAsync(new Uri($"{index}/_bulk", UriKind.Relative), new StringContent(ndjson.ToString(), Encoding.UTF8, "application/x-ndjson"));
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.GetValue<bool>().Should().BeFalse();
    }

    private async Task<JsonObject> SearchAsync(string index, object body)
    {
        using var response = await Http.PostAsJsonAsync(new Uri($"{index}/_search", UriKind.Relative), body);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<JsonObject> ShouldBeErrorAsync(HttpResponseMessage response, int status, string type)
    {
        ((int)response.StatusCode).Should().Be(status);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        body["status"]!.GetValue<int>().Should().Be(status);
        body["error"]!["type"]!.GetValue<string>().Should().Be(type);
        body["error"]!["root_cause"]![0]!["type"]!.GetValue<string>().Should().Be(type);
        return body["error"]!.AsObject();
    }

    private static ByteArrayContent Gzip(string text, string mediaType)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }
}
