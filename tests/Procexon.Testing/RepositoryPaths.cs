namespace Procexon.Testing;

public static class RepositoryPaths
{
    /// <summary>The repository root: the folder holding Procexon.Platform.sln, found upwards from the test binaries.</summary>
    public static string Root { get; } = Find();

    public static string ServerScript(string name) => Path.Combine(Root, "scripts", "servers", name);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Procexon.Platform.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Procexon.Platform.sln above {AppContext.BaseDirectory}.");
    }
}
