namespace Atlas.IntegrationTests;

/// <summary>
/// The AppHost's model with its own supervisors but no servers of its own (infrastructure only, with given connection
/// strings that nothing dials), for tests that add a resource or two of their own.
/// </summary>
internal static class SmallModel
{
    public static Task<IDistributedApplicationTestingBuilder> CreateAsync(string dataRoot, params string[] extraArgs) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.Atlas_AppHost>(
        [
            "--ephemeral", "--data", Path.Combine(dataRoot, "data"), "--infra-only",
            "--ConnectionStrings:redis=127.0.0.1:1", "--ConnectionStrings:postgres=Host=127.0.0.1;Port=1", "--ConnectionStrings:rabbitmq=amqp://127.0.0.1:1",
            .. extraArgs,
        ]);
}
