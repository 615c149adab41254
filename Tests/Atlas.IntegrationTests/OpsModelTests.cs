using Atlas.AppHost.Ops;

namespace Atlas.IntegrationTests;

/// <summary>The playbook's wiring in the application model, read without starting it: the smoke user as a gateway admin, the webhook secret against the real Telegram.</summary>
public sealed class OpsModelTests : IDisposable
{
    private readonly string _dataRoot = Directory.CreateTempSubdirectory("atlas-opsmodel-").FullName;

    [Fact]
    public async Task With_the_Sandbox_the_smoke_user_is_a_gateway_admin_and_no_webhook_secret_is_added()
    {
        await using var builder = await CreateAsync("--Atlas:Smoke:UserId=4242");

        var environment = await EnvironmentOfAsync(Gateway(builder));

        environment["Gateway__Admins__smoke"].Should().Be("4242");
        environment["Gateway__Admins__sandbox"].Should().Be("1001", "the chat page's default user");
        environment.Should().NotContainKey("Telegram__WebhookSecret");
        builder.Resources.Should().NotContain(r => r.Name == "telegram-webhook-secret");
    }

    [Fact]
    public async Task Against_the_real_Telegram_the_ops_chat_is_the_smoke_user_and_the_gateway_gets_a_secret_webhook_secret()
    {
        await using var builder = await CreateAsync("--Parameters:telegram-bot-token=123:not-a-real-token", "--Atlas:Smoke:OpsChatId=777");

        var environment = await EnvironmentOfAsync(Gateway(builder));

        environment["Gateway__Admins__smoke"].Should().Be("777");
        var secret = environment["Telegram__WebhookSecret"].Should().BeOfType<ParameterResource>().Subject;
        secret.Name.Should().Be("telegram-webhook-secret");
        secret.Secret.Should().BeTrue();
    }

    [Fact]
    public async Task Against_the_real_Telegram_without_an_ops_chat_no_smoke_user_is_made_admin()
    {
        await using var builder = await CreateAsync("--Parameters:telegram-bot-token=123:not-a-real-token");

        var environment = await EnvironmentOfAsync(Gateway(builder));
        environment.Should().NotContainKey("Gateway__Admins__smoke");
        environment.Should().NotContainKey("Gateway__Admins__sandbox", "user 1001 of the real Telegram is a stranger");
    }

    public void Dispose() => Directory.Delete(_dataRoot, recursive: true);

    private static ProjectResource Gateway(IDistributedApplicationTestingBuilder builder) =>
        builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "gateway");

    private static async Task<Dictionary<string, object>> EnvironmentOfAsync(ProjectResource resource)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables;
    }

    private Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] args) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.Atlas_AppHost>(["--data", _dataRoot, "--ephemeral", .. args]);
}
