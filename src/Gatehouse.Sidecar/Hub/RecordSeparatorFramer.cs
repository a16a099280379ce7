using System.Buffers;

namespace Gatehouse.Sidecar.Hub;

/// <summary>
/// Cuts the byte stream of a connection into hub messages at the 0x1E record separator. WebSocket
/// frames and hub messages do not line up: one frame may carry several messages (the handshake
/// reply and the first invocation, typically) and one message may span frames, so bytes are fed
/// as they arrive and complete messages taken out. Bounded, so that a server that never sends a
/// separator cannot make the client buffer without end.
/// </summary>
internal sealed class RecordSeparatorFramer(int maxMessageBytes)
{
    public const byte Separator = 0x1E;

    private readonly ArrayBufferWriter<byte> _pending = new();
    private int _consumed;

    /// <summary>Adds received bytes; throws when a message grows past the bound before its separator.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        Compact();
        _pending.Write(bytes);
        // Every complete message is checked when taken out; only the unfinished tail can grow unchecked.
        var tail = _pending.WrittenSpan[_consumed..];
        var lastSeparator = tail.LastIndexOf(Separator);
        var unfinished = lastSeparator < 0 ? tail.Length : tail.Length - lastSeparator - 1;
        if (unfinished > maxMessageBytes)
        {
            throw new HubProtocolException($"A hub message exceeded {maxMessageBytes} bytes.");
        }
    }

    /// <summary>The next complete message (without its separator), or false when none is complete yet.</summary>
    public bool TryRead(out ReadOnlyMemory<byte> message)
    {
        var rest = _pending.WrittenMemory[_consumed..];
        var end = rest.Span.IndexOf(Separator);
        if (end < 0)
        {
            message = default;
            return false;
        }
        if (end > maxMessageBytes)
        {
            throw new HubProtocolException($"A hub message exceeded {maxMessageBytes} bytes.");
        }
        // A copy: the buffer is compacted on the next append, and callers may keep the message.
        message = rest[..end].ToArray();
        _consumed += end + 1;
        return true;
    }

    /// <summary>Bytes received that do not yet make a message.</summary>
    public int PendingBytes => _pending.WrittenCount - _consumed;

    private void Compact()
    {
        if (_consumed == 0)
        {
            return;
        }
        var rest = _pending.WrittenSpan[_consumed..].ToArray();
        _pending.ResetWrittenCount();
        _pending.Write(rest);
        _consumed = 0;
    }
}
