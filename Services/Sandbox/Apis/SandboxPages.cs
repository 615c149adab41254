using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;

namespace Atlas.Sandbox.Apis;

/// <summary>
/// The chat page (wwwroot, embedded in the assembly so it is there however the Sandbox is hosted): <c>GET /</c> and
/// <c>GET /chat</c> serve it, <c>GET /assets/{file}</c> its script and style. No CDN: everything is local.
/// </summary>
internal static class SandboxPages
{
    private const string ResourcePrefix = "Atlas.Sandbox.wwwroot.";
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static RouteGroupBuilder MapSandboxPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").WithTags("Sandbox pages");
        pages.MapGet("/", ChatPage).WithName("SandboxHome");
        pages.MapGet("/chat", ChatPage).WithName("SandboxChatPage");
        pages.MapGet("/assets/{file}", Asset).WithName("SandboxAsset");
        return pages;
    }

    public static Results<FileStreamHttpResult, NotFound> ChatPage() => Asset("index.html");

    public static Results<FileStreamHttpResult, NotFound> Asset(string file)
    {
        var stream = file.Contains('/', StringComparison.Ordinal) || file.Contains('\\', StringComparison.Ordinal)
            ? null
            : typeof(SandboxPages).Assembly.GetManifestResourceStream(ResourcePrefix + file);
        if (stream is null)
        {
            return TypedResults.NotFound();
        }

        var contentType = ContentTypes.TryGetContentType(file, out var type) ? type : "application/octet-stream";
        return TypedResults.Stream(stream, contentType);
    }
}
