using Atlas.Testing;

namespace Atlas.LlmRouter.Tests;

/// <summary>The llmrouter service boots on real servers, serves the default endpoints and answers Ping on the bus.</summary>
public sealed class LlmRouterServiceContract() : ServiceContractTests<Program>(
    "llmrouter", "llmdb", ["postgres", "redis", "rabbitmq"], ["knowledge_documents"]);
