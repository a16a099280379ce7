namespace Gatehouse.Testing;

/// <summary>Finds the checkout a test or benchmark runs from, by the files only its top level has.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "functions.sln"))
                && File.Exists(System.IO.Path.Combine(directory.FullName, "package.json")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Gatehouse checkout (functions.sln + package.json) above {AppContext.BaseDirectory}.");
    }
}
