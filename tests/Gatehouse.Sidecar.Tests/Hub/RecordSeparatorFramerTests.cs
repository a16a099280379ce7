using System.Text;
using Gatehouse.Sidecar.Hub;

namespace Gatehouse.Sidecar.Tests.Hub;

public sealed class RecordSeparatorFramerTests
{
    [Fact]
    public void A_message_split_across_reads_comes_out_whole_once_its_separator_arrives()
    {
        var framer = new RecordSeparatorFramer(1024);
        framer.Append("{\"type\":1,\"tar"u8);
        Assert.False(framer.TryRead(out _));
        framer.Append("get\":\"x\","u8);
        Assert.False(framer.TryRead(out _));
        framer.Append("\"arguments\":[]}\u001e"u8);

        Assert.Equal(["{\"type\":1,\"target\":\"x\",\"arguments\":[]}"], ReadAll(framer));
        Assert.Equal(0, framer.PendingBytes);
    }

    [Fact]
    public void Several_messages_in_one_read_come_out_in_order_and_a_trailing_fragment_waits()
    {
        var framer = new RecordSeparatorFramer(1024);
        framer.Append("{}\u001e{\"type\":6}\u001e{\"type\":1,\"target\":\"a\",\"arguments\":[]}\u001e{\"ty"u8);

        Assert.Equal(["{}", "{\"type\":6}", "{\"type\":1,\"target\":\"a\",\"arguments\":[]}"], ReadAll(framer));
        Assert.Equal(4, framer.PendingBytes);
        framer.Append("pe\":6}\u001e"u8);
        Assert.Equal(["{\"type\":6}"], ReadAll(framer));
    }

    [Fact]
    public void A_separator_arriving_alone_completes_the_message_before_it()
    {
        var framer = new RecordSeparatorFramer(1024);
        framer.Append("{\"type\":6}"u8);
        Assert.False(framer.TryRead(out _));
        framer.Append([RecordSeparatorFramer.Separator]);
        Assert.Equal(["{\"type\":6}"], ReadAll(framer));
    }

    [Fact]
    public void Multibyte_characters_split_between_reads_survive()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"error\":\"é✓\"}\u001e");
        var framer = new RecordSeparatorFramer(1024);
        foreach (var b in bytes)
        {
            framer.Append([b]);
        }
        Assert.Equal(["{\"error\":\"é✓\"}"], ReadAll(framer));
    }

    [Fact]
    public void An_unfinished_message_past_the_bound_is_a_protocol_error()
    {
        var framer = new RecordSeparatorFramer(16);
        framer.Append(new byte[10]);
        Assert.Throws<HubProtocolException>(() => framer.Append(new byte[10]));
    }

    [Fact]
    public void A_complete_message_past_the_bound_is_a_protocol_error_even_in_one_read()
    {
        var framer = new RecordSeparatorFramer(8);
        framer.Append(Encoding.UTF8.GetBytes("{\"type\":6}\u001e"));
        Assert.Throws<HubProtocolException>(() => framer.TryRead(out _));
    }

    [Fact]
    public void A_message_of_exactly_the_bound_passes_and_the_buffer_does_not_grow_with_traffic()
    {
        var framer = new RecordSeparatorFramer(10);
        for (var i = 0; i < 10_000; i++)
        {
            framer.Append("{\"type\":6}\u001e{\"ty"u8);
            Assert.True(framer.TryRead(out var message));
            Assert.Equal(10, message.Length);
            framer.Append("pe\":6}\u001e"u8);
            Assert.True(framer.TryRead(out _));
            Assert.Equal(0, framer.PendingBytes);
        }
    }

    private static List<string> ReadAll(RecordSeparatorFramer framer)
    {
        var messages = new List<string>();
        while (framer.TryRead(out var message))
        {
            messages.Add(Encoding.UTF8.GetString(message.Span));
        }
        return messages;
    }
}
