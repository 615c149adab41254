namespace Atlas.Sandbox.Camunda;

/// <summary>An engine rejection, answered as <c>application/problem+json</c> with Camunda's title codes.</summary>
internal sealed class CamundaProblem(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public static CamundaProblem NotFound(string detail) => new(404, "NOT_FOUND", detail);

    public static CamundaProblem InvalidState(string detail) => new(409, "INVALID_STATE", detail);

    public static CamundaProblem InvalidArgument(string detail) => new(400, "INVALID_ARGUMENT", detail);
}
