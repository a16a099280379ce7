namespace Gatehouse.Core.Composition;

/// <summary>The points of a recomposition after which a crash leaves distinct state behind.</summary>
public enum RecomposeStep
{
    /// <summary>A message was received and not yet handled.</summary>
    Received,

    /// <summary>The snapshot blob is written; the pointer has not moved.</summary>
    SnapshotWritten,

    /// <summary>The pointer has moved; the message is not yet deleted.</summary>
    PointerMoved,

    /// <summary>The pointer has moved and notifying the data planes failed; they learn of the snapshot at their next poll.</summary>
    NotifyFailed,

    /// <summary>A batch of a multi-commit import is committed, and more are to come: the import's marker is on the revision.</summary>
    ImportBatchCommitted,
}

/// <summary>Told as a recomposition passes each step: for logs, and for the crash tests that stop a worker there.</summary>
public interface IRecomposeObserver
{
    void Reached(Guid controlPlane, RecomposeStep step);
}
