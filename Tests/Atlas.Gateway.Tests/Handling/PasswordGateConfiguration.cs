using Atlas.Gateway.Tests.Support;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>A gate switched on without a password, or with a flag that is not a boolean, stops the gateway at start with the key to fix.</summary>
public sealed class PasswordGateConfiguration
{
    [Fact]
    public async Task Enabling_the_gate_without_a_password_fails_at_start_naming_the_key()
    {
        var start = () => HandlingGateway.StartAsync(
            "handling-gatecfg", new Dictionary<string, string?> { ["Gateway:PasswordGate:Enabled"] = "true" }, waitUntilReady: false);

        (await start.Should().ThrowAsync<Exception>()).Which.ToString().Should().Contain("Gateway:PasswordGate:Password (or LUKA_PASSWORD) is required");
    }

    [Fact]
    public async Task A_gate_flag_that_is_not_a_boolean_fails_at_start_naming_the_key()
    {
        var start = () => HandlingGateway.StartAsync(
            "handling-gatecfg", new Dictionary<string, string?> { ["LUKA_PASSWORD_ENABLED"] = "maybe", ["LUKA_PASSWORD"] = "x" }, waitUntilReady: false);

        (await start.Should().ThrowAsync<Exception>()).Which.ToString().Should().Contain("LUKA_PASSWORD_ENABLED").And.Contain("maybe");
    }
}
