using System.Text;

namespace Atlas.AppHost.Hosting;

/// <summary>The table printed once the stack is up: name, kind, state and where to reach each resource.</summary>
public static class ResourceTable
{
    public static string Render(IEnumerable<Resource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var rows = resources.OrderBy(Depth)
            .Select(r => (r.Name, r.Kind, State: r.State.ToString(), Url: r.DisplayUrl ?? "")).ToList();
        rows.AddRange(resources.OfType<Infrastructure.RabbitMqResource>()
            .Where(r => r.ManagementUrl is not null)
            .Select(r => ($"{r.Name}-management", "http", r.State.ToString(), r.ManagementUrl!.ToString())));
        var header = (Name: "RESOURCE", Kind: "KIND", State: "STATE", Url: "URL");
        var nameWidth = rows.Append(header).Max(r => r.Name.Length);
        var kindWidth = rows.Append(header).Max(r => r.Kind.Length);
        var stateWidth = rows.Append(header).Max(r => r.State.Length);
        var table = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            table.Append(row.Name.PadRight(nameWidth)).Append("  ")
                .Append(row.Kind.PadRight(kindWidth)).Append("  ")
                .Append(row.State.PadRight(stateWidth)).Append("  ")
                .AppendLine(row.Url);
        }

        return table.ToString();
    }

    /// <summary>How many layers of waits stand below a resource (infrastructure 0, databases 1, services 2).</summary>
    internal static int Depth(Resource resource) => resource.WaitsFor.Count == 0 ? 0 : 1 + resource.WaitsFor.Max(Depth);
}
