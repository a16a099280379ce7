using System.Net;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Gatehouse.Sidecar.Kong;

/// <summary>
/// The body of Kong's <c>POST /config</c>, <c>{"config":"…"}</c> with the declarative config as a
/// JSON string, written to the request stream a segment at a time. A config can be tens of MB, and
/// the sidecar runs on the gateway node, often under a container's memory limit, already holding the
/// config it fetched: the escaped body is never held whole beside it. Its length is measured first by
/// writing it to nowhere, so Kong gets a Content-Length rather than a chunked body.
/// </summary>
internal sealed class KongConfigContent : HttpContent
{
    // Kong reads the string back whatever the escaping; raw UTF-8 keeps the body no bigger than it must be.
    private static readonly JsonWriterOptions s_writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Small enough that a segment's escaped form stays off the large object heap, large enough that the flushes are few.
    internal const int SegmentBytes = 8 * 1024;

    private readonly ReadOnlyMemory<byte> _config;
    private readonly long _length;

    private KongConfigContent(ReadOnlyMemory<byte> config)
    {
        _config = config;
        using var counter = new CountingStream();
        using (var writer = new Utf8JsonWriter(counter, s_writer))
        {
            foreach (var _ in Segments(writer))
            {
                writer.Flush();
            }
        }
        _length = counter.Length;
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    /// <summary>The body for <paramref name="config"/>; null when it is not valid UTF-8, which Kong would hash differently from these bytes.</summary>
    public static KongConfigContent? For(ReadOnlyMemory<byte> config) =>
        Utf8.IsValid(config.Span) ? new KongConfigContent(config) : null;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        Write(stream, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        Write(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    private async Task Write(Stream stream, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(stream, s_writer);
        foreach (var _ in Segments(writer))
        {
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the body to <paramref name="writer"/>, stopping after each segment for the caller to flush it.</summary>
    private IEnumerable<int> Segments(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("config"u8);
        var offset = 0;
        do
        {
            var segment = Math.Min(SegmentBytes, _config.Length - offset);
            // A segment may end inside a character: the writer carries its first bytes into the next.
            writer.WriteStringValueSegment(_config.Span.Slice(offset, segment), isFinalSegment: offset + segment == _config.Length);
            offset += segment;
            yield return offset;
        }
        while (offset < _config.Length);
        writer.WriteEndObject();
        yield return offset;
    }

    /// <summary>Counts what is written to it and keeps none of it.</summary>
    private sealed class CountingStream : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Position;

        public override long Position { get; set; }

        public override void Write(byte[] buffer, int offset, int count) => Position += count;

        public override void Write(ReadOnlySpan<byte> buffer) => Position += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Position += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Position += count;
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
