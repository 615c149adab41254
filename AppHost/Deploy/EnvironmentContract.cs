using System.Globalization;

namespace Atlas.AppHost.Deploy;

/// <summary>
/// A project resource's environment as the model declares it for publishing, each value sorted into a fixed value,
/// a setting, a secret or a connection string. Parameter values are never read, so no secret can leak into an artifact.
/// </summary>
internal static class EnvironmentContract
{
    /// <summary>Variables that only make sense under the local orchestrator.</summary>
    private static readonly HashSet<string> LocalOnly = new(StringComparer.Ordinal) { "ASPNETCORE_URLS", "HTTP_PORTS", "HTTPS_PORTS", "ASPNETCORE_HTTPS_PORT" };

    public static async Task<IReadOnlyList<Setting>> ReadAsync(ProjectResource project, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var context = new EnvironmentCallbackContext(executionContext, project, cancellationToken: cancellationToken);
        foreach (var callback in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context).ConfigureAwait(false);
        }

        return [.. context.EnvironmentVariables
            .Where(e => !LocalOnly.Contains(e.Key) && !e.Key.StartsWith("services__sandbox__", StringComparison.Ordinal))
            .Select(e => Classify(e.Key, e.Value))
            .OrderBy(s => s.Key, StringComparer.Ordinal)];
    }

    private static Setting Classify(string key, object value) => value switch
    {
        string text => new Setting(key, SettingKind.Literal, text),
        ConnectionStringReference reference => new Setting(key, SettingKind.ConnectionString, reference.Resource.Name),
        IResourceWithConnectionString resource => new Setting(key, SettingKind.ConnectionString, resource.Name),
        ParameterResource parameter => new Setting(key, parameter.Secret ? SettingKind.Secret : SettingKind.Setting, parameter.Name),
        EndpointReference endpoint => new Setting(key, SettingKind.Literal, Url(endpoint)),
        EndpointReferenceExpression expression => new Setting(key, SettingKind.Literal, Property(expression)),
        ReferenceExpression expression => FromExpression(key, expression),
        _ => new Setting(key, SettingKind.Setting, key),
    };

    // An expression of fixed parts and endpoints is a fixed value; one with a parameter or connection string in it is
    // supplied whole by the deployment (as a secret if any part is one).
    private static Setting FromExpression(string key, ReferenceExpression expression)
    {
        var parts = expression.ValueProviders.Select(p => Classify(key, p)).ToList();
        if (parts.Any(p => p.Kind is SettingKind.Secret or SettingKind.ConnectionString))
        {
            return new Setting(key, SettingKind.Secret, key);
        }

        if (parts.Any(p => p.Kind == SettingKind.Setting))
        {
            return new Setting(key, SettingKind.Setting, key);
        }

        return new Setting(key, SettingKind.Literal, string.Format(CultureInfo.InvariantCulture, expression.Format, [.. parts.Select(p => (object)p.Value)]));
    }

    private static string Url(EndpointReference endpoint) =>
        $"{endpoint.Scheme}://{endpoint.Resource.Name}:{DeployedService.Port.ToString(CultureInfo.InvariantCulture)}";

    private static string Property(EndpointReferenceExpression expression) => expression.Property switch
    {
        EndpointProperty.Url => Url(expression.Endpoint),
        EndpointProperty.Host or EndpointProperty.IPV4Host => expression.Endpoint.Resource.Name,
        EndpointProperty.Port or EndpointProperty.TargetPort => DeployedService.Port.ToString(CultureInfo.InvariantCulture),
        EndpointProperty.Scheme => expression.Endpoint.Scheme,
        _ => $"{expression.Endpoint.Resource.Name}:{DeployedService.Port.ToString(CultureInfo.InvariantCulture)}",
    };
}
