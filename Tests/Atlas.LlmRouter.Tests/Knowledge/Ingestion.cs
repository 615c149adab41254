using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atlas.LlmRouter.Knowledge;
using Atlas.LlmRouter.Tests.Support;
using Atlas.Testing.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atlas.LlmRouter.Tests.Knowledge;

/// <summary>Ingestion over HTTP: JSON, Markdown and plain text, the PII filter (reject and mask) and retention.</summary>
public sealed class Ingestion
{
    [Fact]
    public async Task A_markdown_document_is_chunked_by_heading_and_searchable_as_plain_text()
    {
        await using var world = await RouterWorld.StartAsync();
        var markdown = "# Shipping\n\nWe ship **worldwide** with [our partners](https://example.org).\n\n## Customs\n\nCustoms duties are paid by the recipient.";

        var response = await world.Http.PostAsync(new Uri("/knowledge/documents?title=Shipping%20guide&source=wiki&id=ship-1", UriKind.Relative),
            new StringContent(markdown, Encoding.UTF8, "text/markdown"));
        var hits = await world.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=customs+duties+recipient", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        hits!["hits"]![0]!["documentId"]!.GetValue<string>().Should().Be("ship-1");
        hits["hits"]![0]!["snippet"]!.GetValue<string>().Should().NotContain("[our partners]").And.Contain("**recipient**");
        await using var connection = new NpgsqlConnection(world.Root.Resources.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(heading, '|' ORDER BY ordinal) FROM knowledge_chunks WHERE document_id = 'ship-1'", connection);
        ((string)(await command.ExecuteScalarAsync())!).Should().Be("Shipping guide — Shipping|Shipping guide — Customs");
    }

    [Fact]
    public async Task A_document_without_a_title_is_refused_unless_it_is_markdown_that_opens_with_one()
    {
        await using var world = await RouterWorld.StartAsync();

        var plain = await world.Http.PostAsync(new Uri("/knowledge/documents", UriKind.Relative), new StringContent("# just text", Encoding.UTF8, "text/plain"));
        var untitled = await world.Http.PostAsync(new Uri("/knowledge/documents", UriKind.Relative), new StringContent("Returns take a week.\n\n# Later", Encoding.UTF8, "text/markdown"));
        var titled = await world.Http.PostAsync(new Uri("/knowledge/documents?id=ret-1", UriKind.Relative),
            new StringContent("# Returns *policy*\n\nReturns are accepted within thirty days.", Encoding.UTF8, "text/markdown"));
        var hits = await world.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=returns+accepted", UriKind.Relative));

        plain.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await plain.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>().Should().Contain("?title=");
        untitled.StatusCode.Should().Be(HttpStatusCode.BadRequest, "only a heading on the first line is the document's title");
        titled.StatusCode.Should().Be(HttpStatusCode.Created);
        hits!["hits"]![0]!["title"]!.GetValue<string>().Should().Be("Returns policy");
        await using var connection = new NpgsqlConnection(world.Root.Resources.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(heading, '|' ORDER BY ordinal) FROM knowledge_chunks WHERE document_id = 'ret-1'", connection);
        ((string)(await command.ExecuteScalarAsync())!).Should().Be("Returns policy", "the title heading is not repeated as its own section");
    }

    [Fact]
    public async Task A_search_text_with_a_nul_character_is_searched_as_if_it_were_a_space()
    {
        await using var world = await RouterWorld.StartAsync();
        (await world.Http.PostAsJsonAsync(new Uri("/knowledge/documents", UriKind.Relative), new { id = "fee-1", title = "Fees", body = "There are no card fees." }))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        using var nothing = await world.Http.GetAsync(new Uri("/knowledge/search?q=%00", UriKind.Relative));
        var hits = await world.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=card%00fees", UriKind.Relative));

        nothing.StatusCode.Should().Be(HttpStatusCode.BadRequest, "it was a 500: PostgreSQL refuses U+0000");
        (await nothing.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>().Should().Be("Missing query");
        hits!["hits"]!.AsArray().Select(h => h!["documentId"]!.GetValue<string>()).Should().Equal("fee-1");
    }

    [Theory]
    [InlineData("/knowledge/documents", """{"title":"Refunds","body":"Refunds take five days.","lang":"ru"}""", "'lang'")]
    [InlineData("/knowledge/documents", """{"title":"Refunds","body":"Refunds take five days.","tags":"billing"}""", "$.tags")]
    [InlineData("/knowledge/documents:bulk", """[{"title":"Refunds","body":"Refunds take five days."},{"titel":"Fees","body":"No fees."}]""", "'titel'")]
    [InlineData("/knowledge/documents", """{"title":"Refunds","body":"Refunds take five\u0000 days."}""", "The body contains a NUL character")]
    [InlineData("/knowledge/documents", """{"title":"Refunds","body":"Refunds take five days.","tags":["ok","b\u0000d"]}""", "The tags contain")]
    public async Task A_json_document_with_a_property_documents_do_not_have_or_of_the_wrong_type_is_refused_saying_where(string path, string json, string named)
    {
        await using var world = await RouterWorld.StartAsync();

        var response = await world.Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>().Should().Contain(named).And.NotContain("Atlas.");
        var search = await world.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=refunds", UriKind.Relative));
        search!["hits"]!.AsArray().Should().BeEmpty("a misspelt language or title used to be stored as if it were not given");
    }

    [Theory]
    [InlineData("Write to jane.doe@example.com for help.", "email")]
    [InlineData("Call us on +44 20 7946 0958 any time.", "phone")]
    [InlineData("Test card 4111 1111 1111 1111 works.", "card")]
    [InlineData("Bot token {bot-token} here.", "token")]
    [InlineData("Use key sk-proj-abcdefghijklmnopqrstuvwxyz123456 to call.", "token")]
    public async Task Personal_data_is_rejected_with_problem_details_naming_the_rule(string body, string rule)
    {
        // A bot token is made per run, so nothing shaped like a real one is committed.
        body = body.Replace("{bot-token}", TelegramBotToken.Create(), StringComparison.Ordinal);
        await using var world = await RouterWorld.StartAsync();

        var response = await world.Http.PostAsJsonAsync(new Uri("/knowledge/documents", UriKind.Relative), new { title = "Contact", body });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["rule"]!.GetValue<string>().Should().Be(rule);
        problem["field"]!.GetValue<string>().Should().Be("body");
        var search = await world.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=contact", UriKind.Relative));
        search!["hits"]!.AsArray().Should().BeEmpty("nothing of a rejected document is stored");
    }

    [Fact]
    public async Task Numbers_that_are_not_personal_data_pass_the_filter()
    {
        await using var world = await RouterWorld.StartAsync();

        var response = await world.Http.PostAsJsonAsync(new Uri("/knowledge/documents", UriKind.Relative),
            new { title = "Order numbers", body = "Order 4111111111111112 shipped on 2026-12-01; version 10.0.3; ticket 1234567890." });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task In_mask_mode_personal_data_is_replaced_and_the_rest_is_stored()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?> { ["Knowledge:Pii"] = "Mask" });

        var response = await world.Http.PostAsJsonAsync(new Uri("/knowledge/documents", UriKind.Relative),
            new { id = "contact", title = "Contact desk", body = "Write to jane.doe@example.com or call +7 (495) 123-45-67 about invoices." });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        await using var connection = new NpgsqlConnection(world.Root.Resources.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT body FROM knowledge_documents WHERE document_id = 'contact'", connection);
        ((string)(await command.ExecuteScalarAsync())!).Should().Be("Write to [email] or call [phone] about invoices.");
    }

    [Fact]
    public async Task Ingestion_needs_the_admin_key()
    {
        await using var world = await RouterWorld.StartAsync();
        using var anonymous = world.Factory.CreateClient();

        var response = await anonymous.PostAsJsonAsync(new Uri("/knowledge/documents", UriKind.Relative), new { title = "t", body = "b" });

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_bulk_batch_with_one_bad_document_stores_nothing_and_names_its_index()
    {
        await using var world = await RouterWorld.StartAsync();

        var response = await world.Http.PostAsJsonAsync(new Uri("/knowledge/documents:bulk", UriKind.Relative), new object[]
        {
            new { id = "a", title = "Alpha guide", body = "Alpha text" },
            new { id = "b", title = "Beta guide", body = "Mail beta@example.com" },
        });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["index"]!.GetValue<int>().Should().Be(1);
        (await world.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=alpha", UriKind.Relative)))!["hits"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Retention_deletes_documents_not_updated_for_the_configured_days()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?> { ["Knowledge:RetentionDays"] = "30" });
        await world.AddDocumentsAsync(new { id = "old", title = "Old news", body = "Stale" }, new { id = "new", title = "Fresh news", body = "Recent" });
        await using (var connection = new NpgsqlConnection(world.Root.Resources.Database))
        {
            await connection.OpenAsync();
            await using var age = new NpgsqlCommand("UPDATE knowledge_documents SET updated_at = now() - interval '31 days' WHERE document_id = 'old'", connection);
            await age.ExecuteNonQueryAsync();
        }

        var deleted = await world.Factory.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);

        deleted.Should().Be(1);
        var hits = await world.Http.GetFromJsonAsync<JsonObject>(new Uri("/knowledge/search?q=news", UriKind.Relative));
        hits!["hits"]!.AsArray().Select(h => h!["documentId"]!.GetValue<string>()).Should().Equal("new");
    }
}
