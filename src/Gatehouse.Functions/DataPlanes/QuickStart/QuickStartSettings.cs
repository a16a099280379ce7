using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Functions.DataPlanes.QuickStart;

/// <summary>
/// The images the quick start runs: <c>Gatehouse__DataPlane__SidecarImage</c> (default
/// <see cref="DefaultSidecarImage"/>, what the README builds from <c>src/Gatehouse.Sidecar/Dockerfile</c>;
/// set it to where you pushed it) and <c>Gatehouse__DataPlane__KongImage</c> (default Kong's own
/// image at the version this control plane serves, <c>kong:{Gatehouse__KongVersion}</c>).
/// </summary>
public sealed record QuickStartSettings(string SidecarImage, string KongImage)
{
    public const string DefaultSidecarImage = "gatehouse-sidecar:latest";

    public static QuickStartSettings Read(IConfiguration configuration, KongVersion kongVersion) => new(
        configuration["Gatehouse:DataPlane:SidecarImage"] is { Length: > 0 } sidecar ? sidecar : DefaultSidecarImage,
        configuration["Gatehouse:DataPlane:KongImage"] is { Length: > 0 } kong ? kong : $"kong:{kongVersion}");
}
