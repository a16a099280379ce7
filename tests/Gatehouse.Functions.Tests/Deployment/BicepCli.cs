using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Xunit.Sdk;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// The Bicep CLI this project's own restore downloads (the csproj's PackageDownload, the version in
/// Directory.Packages.props), at the path the build recorded from the NuGet packages folder that
/// restore used. Nothing installed by hand is looked for.
/// </summary>
internal static class BicepCli
{
    private const string PathMetadataKey = "BicepCli";

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<string> s_path = new(Locate);

    /// <summary>Runs <c>bicep</c> with the arguments in the directory and waits for it to exit.</summary>
    public static BicepRun Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(s_path.Value)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {s_timeout}.");
        }
        return new BicepRun(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    private static string Locate()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            // The package feed serves only the linux-x64 build of the CLI; CI runs there.
            throw SkipException.ForSkip($"The pinned Bicep CLI is the linux-x64 build; this machine is {RuntimeInformation.RuntimeIdentifier}.");
        }
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == PathMetadataKey)?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI is not at '{path}'. This test project's restore downloads it (PackageDownload " +
                "Azure.Bicep.CommandLine.linux-x64); build the project again so that it restores.");
        }

        // NuGet extracts files with the modes it chooses, which need not include execute: add it
        // wherever read is granted, as 'chmod +x' would.
        var mode = File.GetUnixFileMode(path);
        var executable = mode
            | (mode.HasFlag(UnixFileMode.UserRead) ? UnixFileMode.UserExecute : 0)
            | (mode.HasFlag(UnixFileMode.GroupRead) ? UnixFileMode.GroupExecute : 0)
            | (mode.HasFlag(UnixFileMode.OtherRead) ? UnixFileMode.OtherExecute : 0);
        if (executable != mode)
        {
            File.SetUnixFileMode(path, executable);
        }
        return path;
    }
}

/// <summary>What one run of the Bicep CLI printed, and how it exited.</summary>
internal sealed record BicepRun(int ExitCode, string StandardOutput, string StandardError);
