namespace Atlas.Testing;

/// <summary>The checkout the tests were built from, found by walking up from the test's output folder.</summary>
public static class RepositoryFolder
{
    /// <summary>The folder holding <c>Atlas.sln</c>, the nearest one above the running test assembly.</summary>
    public static string Root { get; } = Find(new DirectoryInfo(AppContext.BaseDirectory));

    private static string Find(DirectoryInfo start)
    {
        for (var folder = start; folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Atlas.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Atlas.sln not found above " + start.FullName);
    }
}
