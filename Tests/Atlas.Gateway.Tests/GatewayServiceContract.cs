using Atlas.Testing;

namespace Atlas.Gateway.Tests;

/// <summary>The gateway service boots on real servers, serves the default endpoints and answers Ping on the bus.</summary>
public sealed class GatewayServiceContract() : ServiceContractTests<Program>(
    "gateway", "gatewaydb", ["postgres", "redis", "rabbitmq"], ["chats", "users", "group_memberships"]);
