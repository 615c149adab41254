using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atlas.LlmRouter.Tests.Support;

namespace Atlas.LlmRouter.Tests.Knowledge;

/// <summary>One router with the fixed corpus for the whole class.</summary>
public sealed class CorpusFixture : IAsyncLifetime
{
    private RouterWorld? _world;

    public RouterWorld World => _world ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _world = await RouterWorld.StartAsync();
        await _world.AddDocumentsAsync(KnowledgeCorpus.Documents);
    }

    public async Task DisposeAsync()
    {
        if (_world is not null)
        {
            await _world.DisposeAsync();
        }
    }
}

/// <summary>Search quality on PostgreSQL FTS: each fixed English and Russian query finds its expected document first.</summary>
public sealed class SearchQuality(CorpusFixture corpus) : IClassFixture<CorpusFixture>
{
    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Finds_the_expected_document_first(string query, string expected)
    {
        var result = await corpus.World.Http.GetFromJsonAsync<JsonObject>(new Uri($"/knowledge/search?q={Uri.EscapeDataString(query)}&limit=3", UriKind.Relative));

        var hits = result!["hits"]!.AsArray();
        hits.Should().NotBeEmpty();
        hits[0]!["documentId"]!.GetValue<string>().Should().Be(expected);
    }

    public static TheoryData<string, string> Queries => KnowledgeCorpus.Queries;

    [Fact]
    public async Task Snippets_highlight_the_matched_words()
    {
        var result = await corpus.World.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=refund&lang=en", UriKind.Relative));

        var hit = result!["hits"]![0]!;
        hit["snippet"]!.GetValue<string>().Should().Contain("**refund**");
        hit["source"]!.GetValue<string>().Should().Be("help-centre/en-refund");
        hit["rank"]!.GetValue<double>().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task The_bus_search_answers_the_gateways_request_with_ranked_hits()
    {
        var results = await corpus.World.SearchOverBusAsync("вернуть деньги после покупки", 2);

        results.Query.Should().Be("вернуть деньги после покупки");
        results.Hits.Should().HaveCountLessThanOrEqualTo(2);
        results.Hits[0].DocumentId.Should().Be("ru-refund");
        results.Hits[0].Snippet.Should().Contain("**");
    }

    [Fact]
    public async Task A_query_without_matches_answers_no_hits_and_a_missing_query_a_problem()
    {
        var none = await corpus.World.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=xylophone+orchestra+tuning", UriKind.Relative));
        var missing = await corpus.World.Http.GetAsync(new Uri("/knowledge/search?limit=3", UriKind.Relative));

        none!["hits"]!.AsArray().Should().BeEmpty();
        missing.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        missing.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }
}
