using Atlas.Contracts.Llm;
using Atlas.LlmRouter.Tests.Support;
using Atlas.Testing;
using MassTransit;
using Npgsql;

namespace Atlas.LlmRouter.Tests.Knowledge;

/// <summary>Ingestion over the bus (<see cref="AddKnowledgeDocuments"/>): stored and searchable, PII rejected with its rule, redelivery harmless.</summary>
public sealed class BusIngestion
{
    [Fact]
    public async Task A_requested_batch_is_stored_answered_with_its_ids_and_found_by_a_bus_search()
    {
        await using var world = await RouterWorld.StartAsync();

        var response = await AddAsync(world, new AddKnowledgeDocuments(
        [
            new KnowledgeDocument("bus-vpn", "Connecting to the VPN", "Open the WireGuard client and import the office profile.", "it/vpn.md", "en", ["it"]),
            new KnowledgeDocument(null, "Настройка принтера", "Принтер на третьем этаже подключается через портал печати.", "it/printer.md"),
        ]));

        var added = response.Should().BeOfType<KnowledgeDocumentsAdded>().Subject;
        added.Ids.Should().HaveCount(2).And.StartWith("bus-vpn");
        added.Ids[1].Should().StartWith("kb-", "a document without an id gets one derived from its content");
        (await world.SearchOverBusAsync("WireGuard profile")).Hits.Should().ContainSingle().Which.DocumentId.Should().Be("bus-vpn");
        (await world.SearchOverBusAsync("принтер портал")).Hits.Select(h => h.DocumentId).Should().Equal(added.Ids[1]);
    }

    [Fact]
    public async Task A_batch_with_personal_data_is_rejected_naming_the_rule_and_nothing_is_stored()
    {
        await using var world = await RouterWorld.StartAsync();

        var response = await AddAsync(world, new AddKnowledgeDocuments(
        [
            new KnowledgeDocument("ok-doc", "Lunch hours", "The canteen serves lunch from noon."),
            new KnowledgeDocument("pii-doc", "Contact", "Mail jane.doe@example.com for access."),
        ]));

        var rejected = response.Should().BeOfType<KnowledgeDocumentsRejected>().Subject;
        rejected.Rule.Should().Be("email");
        rejected.Field.Should().Be("body");
        rejected.Index.Should().Be(1);
        rejected.Detail.Should().NotContain("jane.doe", "the personal data itself is not echoed back");
        (await CountDocumentsAsync(world)).Should().Be(0);
    }

    [Fact]
    public async Task A_published_document_is_stored_without_a_reply_and_a_redelivery_does_not_duplicate_it()
    {
        await using var world = await RouterWorld.StartAsync();
        var message = new AddKnowledgeDocuments([new KnowledgeDocument(null, "Badge replacement", "A lost badge is replaced at reception within a day.")]);

        await world.Bus.Bus.Publish(message);
        await Eventually.PollAsync(() => CountDocumentsAsync(world), count => count == 1);
        await world.Bus.Bus.Publish(message);
        var again = await AddAsync(world, message);

        again.Should().BeOfType<KnowledgeDocumentsAdded>();
        (await CountDocumentsAsync(world)).Should().Be(1);
        (await world.SearchOverBusAsync("lost badge reception")).Hits.Should().ContainSingle();
    }

    private static async Task<object> AddAsync(RouterWorld world, AddKnowledgeDocuments message)
    {
        var client = world.Bus.Bus.CreateRequestClient<AddKnowledgeDocuments>(RequestTimeout.After(s: 30));
        var response = await client.GetResponse<KnowledgeDocumentsAdded, KnowledgeDocumentsRejected>(message);
        return response.Message;
    }

    private static async Task<long> CountDocumentsAsync(RouterWorld world)
    {
        await using var connection = new NpgsqlConnection(world.Root.Resources.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM knowledge_documents", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
