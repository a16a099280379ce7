using System.Text.Json;
using Gatehouse.Sidecar.Hub;

namespace Gatehouse.Sidecar.Tests.Hub;

/// <summary>The argument of a push, as both of Gatehouse's notifiers send it.</summary>
public sealed class ConfigUpdatedArgumentTests
{
    [Fact]
    public void The_control_plane_and_the_hash_are_read()
    {
        Assert.True(ConfigUpdatedArgument.TryRead(Json("""{"control_plane_id":"6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e","config_hash":"abc"}"""), out var update));
        Assert.Equal(new ConfigUpdated(Guid.Parse("6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e"), "abc"), update);
    }

    [Fact]
    public void More_properties_are_ignored_for_a_newer_control_plane()
    {
        Assert.True(ConfigUpdatedArgument.TryRead(Json("""{"config_hash":"h","control_plane_id":"6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e","later":true}"""), out var update));
        Assert.Equal("h", update!.ConfigHash);
    }

    [Theory]
    [InlineData("""{"control_plane_id":"6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e"}""")]
    [InlineData("""{"control_plane_id":"nope","config_hash":"abc"}""")]
    [InlineData("""{"control_plane_id":"6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e","config_hash":""}""")]
    [InlineData("""{"control_plane_id":"6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e","config_hash":1}""")]
    [InlineData("""["6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e","abc"]""")]
    [InlineData("\"abc\"")]
    [InlineData("null")]
    public void Anything_else_is_not_read(string argument)
    {
        Assert.False(ConfigUpdatedArgument.TryRead(Json(argument), out var update));
        Assert.Null(update);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
