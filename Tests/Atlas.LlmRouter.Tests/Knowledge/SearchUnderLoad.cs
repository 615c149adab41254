using Atlas.LlmRouter.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atlas.LlmRouter.Tests.Knowledge;

/// <summary>The knowledge base under load: a bounded connection pool, and a search that is too slow costs the passages, not the answer.</summary>
public sealed class SearchUnderLoad
{
    [Fact]
    public async Task The_knowledge_pool_is_bounded_by_the_setting_unless_the_connection_string_names_a_maximum()
    {
        await using (var world = await RouterWorld.StartAsync(new Dictionary<string, string?> { ["Knowledge:MaxConnections"] = "7" }))
        {
            new NpgsqlConnectionStringBuilder(world.Service<NpgsqlDataSource>().ConnectionString).MaxPoolSize.Should().Be(7);
        }

        await using var named = await RouterWorld.StartAsync(new Dictionary<string, string?>(), connectionStringSuffix: ";Maximum Pool Size=5");
        new NpgsqlConnectionStringBuilder(named.Service<NpgsqlDataSource>().ConnectionString).MaxPoolSize.Should().Be(5, "the operator's connection string wins");
    }

    [Fact]
    public async Task A_search_slower_than_the_timeout_is_given_up_and_the_model_still_answers_without_passages()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?> { ["LlmRouter:Grounding:SearchTimeout"] = "00:00:00.300" });
        await world.AddDocumentsAsync(KnowledgeCorpus.Documents);
        await using var dataSource = NpgsqlDataSource.Create(world.Root.Resources.Database);
        await using var blocker = await dataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE knowledge_chunks IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var blocked = await world.AskAsync("How do I reset my password?");
        await transaction.RollbackAsync();
        var free = await world.AskAsync("How do I reset my password, please?");

        blocked.Provider.Should().Be("ollama", "a stuck knowledge base must not cost the answer");
        blocked.Text.Should().NotContain("Sources: ").And.NotContain("Passages: en-password");
        free.Text.Should().Contain("Passages: en-password", "once the table is free, grounding works again");
    }
}
