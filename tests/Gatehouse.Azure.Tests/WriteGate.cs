using Azure.Core;
using Azure.Core.Pipeline;

namespace Gatehouse.Azure.Tests;

/// <summary>
/// A pipeline policy (added before the transport: after signing, on every attempt) on the way to
/// a real service: counts the entity writes a table client sends, single (PUT) or in a
/// transaction (<c>$batch</c>), can hold the next one in flight until told to let it go, and can
/// spoil the signature of chosen ones so that the service itself refuses them (403).
/// </summary>
internal sealed class WriteGate : HttpPipelinePolicy
{
    private int _singles;
    private int _transactions;
    private Hold? _next;

    public int Singles => Volatile.Read(ref _singles);

    public int Transactions => Volatile.Read(ref _transactions);

    /// <summary>Writes picked here reach the service with a signature it refuses.</summary>
    public Func<Request, bool>? Refuse { get; set; }

    /// <summary>Holds the next write before it is sent, until <see cref="Hold.Release"/>.</summary>
    public Hold HoldNext()
    {
        var hold = new Hold();
        Volatile.Write(ref _next, hold);
        return hold;
    }

    public static bool IsTransaction(Request request) =>
        request.Method == RequestMethod.Post && request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal);

    public static bool IsWriteOf(Request request, Guid rowKey) =>
        request.Method == RequestMethod.Put && request.Uri.ToString().Contains($"RowKey='{rowKey}'", StringComparison.Ordinal);

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var request = message.Request;
        var transaction = IsTransaction(request);
        if (transaction || request.Method == RequestMethod.Put)
        {
            Interlocked.Increment(ref transaction ? ref _transactions : ref _singles);
            if (Interlocked.Exchange(ref _next, null) is { } hold)
            {
                await hold.HoldAsync(message.CancellationToken);
            }
            if (Refuse?.Invoke(request) == true)
            {
                request.Headers.SetValue(HttpHeader.Names.Authorization, "SharedKeyLite devstoreaccount1:c3BvaWx0");
            }
        }
        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The storage clients send asynchronously.");

    public sealed class Hold
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when a write is held.</summary>
        public Task Held => _held.Task;

        public void Release() => _released.TrySetResult();

        /// <summary>Holds the request until released, or until its sender gives up.</summary>
        internal Task HoldAsync(CancellationToken cancellationToken)
        {
            _held.TrySetResult();
            return _released.Task.WaitAsync(cancellationToken);
        }
    }
}
