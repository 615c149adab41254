using Atlas.Testing;

namespace Atlas.Moderation.Tests;

/// <summary>The moderation service boots on real servers, serves the default endpoints and answers Ping on the bus.</summary>
public sealed class ModerationServiceContract() : ServiceContractTests<Program>(
    "moderation", "moderationdb", ["postgres", "redis", "rabbitmq"], ["chat_rules", "warnings", "audit_log"]);
