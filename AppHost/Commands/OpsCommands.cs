namespace Atlas.AppHost.Commands;

/// <summary>The one shape of every runbook action on the dashboard: an HTTP call to a service's ops API with its ops key.</summary>
internal static class OpsCommands
{
    /// <summary>
    /// The command <paramref name="name"/> calls <paramref name="path"/> on the service's <c>http</c> endpoint with
    /// <paramref name="opsKey"/> as <c>X-Admin-Key</c> (read when the command runs, never shown) and, when given,
    /// <paramref name="json"/> as the body; POST unless <paramref name="method"/> says otherwise. It says it comes from
    /// the dashboard (<c>X-Atlas-Source</c>/<c>X-Atlas-Operator</c>), so the service's ops audit log records it so.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOpsCommand(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> opsKey, string name, string displayName,
        string path, string? json, string icon, string? description, HttpMethod? method = null)
    {
        ArgumentNullException.ThrowIfNull(opsKey);
        return service.WithHttpCommand(path, displayName, endpointName: "http", commandName: name, commandOptions: new HttpCommandOptions
        {
            Method = method ?? HttpMethod.Post,
            Description = description,
            IconName = icon,
            PrepareRequest = async context =>
            {
                context.Request.Headers.Add("X-Admin-Key", await opsKey.Resource.GetValueAsync(context.CancellationToken).ConfigureAwait(false));
                Audit.AuditCaller.Dashboard.Apply(context.Request);
                if (json is not null)
                {
                    context.Request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
                }
            },
        });
    }
}
