using System.Text;
using Gatehouse.Sidecar.Hub;

namespace Gatehouse.Sidecar.Tests.Hub;

public sealed class HubMessageParserTests
{
    [Fact]
    public void An_invocation_carries_its_target_and_arguments_and_no_invocation_id()
    {
        var message = Assert.IsType<InvocationMessage>(Parse(
            """{"type":1,"target":"configUpdated","arguments":[{"control_plane_id":"6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e","config_hash":"abc"}],"headers":{"x":"y"}}"""));
        Assert.Equal("configUpdated", message.Target);
        Assert.Null(message.InvocationId);
        Assert.True(ConfigUpdatedArgument.TryRead(message.Arguments, out var update));
        Assert.Equal(new ConfigUpdated(Guid.Parse("6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e"), "abc"), update);
    }

    [Fact]
    public void An_invocation_expecting_a_result_shows_its_id()
    {
        var message = Assert.IsType<InvocationMessage>(Parse("""{"type":1,"invocationId":"7","target":"ask","arguments":[1,"two"]}"""));
        Assert.Equal("7", message.InvocationId);
        Assert.Equal(2, message.Arguments.Count);
    }

    [Fact]
    public void A_ping_is_a_ping()
    {
        Assert.IsType<PingMessage>(Parse("""{"type":6}"""));
    }

    [Theory]
    [InlineData("""{"type":7}""", null, false)]
    [InlineData("""{"type":7,"error":"Server is shutting down","allowReconnect":true}""", "Server is shutting down", true)]
    [InlineData("""{"type":7,"error":"Connection closed with an error.","allowReconnect":false}""", "Connection closed with an error.", false)]
    [InlineData("""{"type":7,"error":null,"allowReconnect":true}""", null, true)]
    public void A_close_says_its_error_and_whether_to_come_back(string json, string? error, bool allowReconnect)
    {
        Assert.Equal(new CloseMessage(error, allowReconnect), Parse(json));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(42)]
    public void Other_types_are_known_only_by_their_number(int type)
    {
        Assert.Equal(new OtherMessage(type), Parse($$"""{"type":{{type}},"invocationId":"1","item":3}"""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{}")]
    [InlineData("""{"type":"1"}""")]
    [InlineData("""{"type":1.5}""")]
    [InlineData("""{"type":1,"arguments":[]}""")]
    [InlineData("""{"type":1,"target":"","arguments":[]}""")]
    [InlineData("""{"type":1,"target":"x"}""")]
    [InlineData("""{"type":1,"target":"x","arguments":{}}""")]
    [InlineData("""{"type":1,"target":"x","arguments":[],"invocationId":5}""")]
    public void Malformed_messages_are_protocol_errors(string json)
    {
        Assert.Throws<HubProtocolException>(() => Parse(json));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"control_plane_id":"6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e"}]""")]
    [InlineData("""[{"control_plane_id":"nope","config_hash":"abc"}]""")]
    [InlineData("""[{"control_plane_id":"6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e","config_hash":""}]""")]
    [InlineData("""[{"control_plane_id":"6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e","config_hash":1}]""")]
    [InlineData("""["6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e","abc"]""")]
    [InlineData("""[{"control_plane_id":"6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e","config_hash":"abc"},{}]""")]
    public void A_configUpdated_without_the_one_expected_argument_is_not_read(string arguments)
    {
        var message = Assert.IsType<InvocationMessage>(Parse($$"""{"type":1,"target":"configUpdated","arguments":{{arguments}}}"""));
        Assert.False(ConfigUpdatedArgument.TryRead(message.Arguments, out _));
    }

    [Fact]
    public void A_configUpdated_argument_with_more_properties_is_read()
    {
        var message = Assert.IsType<InvocationMessage>(Parse(
            """{"type":1,"target":"configUpdated","arguments":[{"config_hash":"h","control_plane_id":"6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e","later":true}]}"""));
        Assert.True(ConfigUpdatedArgument.TryRead(message.Arguments, out var update));
        Assert.Equal("h", update!.ConfigHash);
    }

    private static HubMessage Parse(string json) => HubMessageParser.Parse(Encoding.UTF8.GetBytes(json));
}
