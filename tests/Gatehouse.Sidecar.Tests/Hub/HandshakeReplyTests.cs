using System.Text;
using Gatehouse.Sidecar.Hub;

namespace Gatehouse.Sidecar.Tests.Hub;

public sealed class HandshakeReplyTests
{
    [Theory]
    [InlineData("{}")]
    [InlineData("""{"error":null}""")]
    [InlineData("""{"minorVersion":1}""")]
    public void An_empty_object_accepts(string reply)
    {
        HandshakeReply.Check(Encoding.UTF8.GetBytes(reply));
    }

    [Fact]
    public void An_error_refuses_with_the_servers_words()
    {
        var refused = Assert.Throws<HubProtocolException>(() => HandshakeReply.Check("""{"error":"Requested protocol 'json' is not available."}"""u8.ToArray()));
        Assert.Contains("Requested protocol 'json' is not available.", refused.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("""{"type":6}""")]
    public void Anything_else_is_a_protocol_error(string reply)
    {
        Assert.Throws<HubProtocolException>(() => HandshakeReply.Check(Encoding.UTF8.GetBytes(reply)));
    }

    [Fact]
    public void A_reply_sharing_its_frame_with_an_invocation_is_read_apart_from_it()
    {
        var framer = new RecordSeparatorFramer(1024);
        framer.Append("{}\u001e{\"type\":1,\"target\":\"configUpdated\",\"arguments\":[{\"control_plane_id\":\"6f2b8f0e-1c1a-4c55-9d59-3f1a2b3c4d5e\",\"config_hash\":\"h\"}]}\u001e"u8);

        Assert.True(framer.TryRead(out var reply));
        HandshakeReply.Check(reply);
        Assert.True(framer.TryRead(out var next));
        var invocation = Assert.IsType<InvocationMessage>(HubMessageParser.Parse(next));
        Assert.Equal("configUpdated", invocation.Target);
        Assert.False(framer.TryRead(out _));
    }
}
