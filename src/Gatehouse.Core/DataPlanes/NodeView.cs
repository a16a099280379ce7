namespace Gatehouse.Core.DataPlanes;

/// <summary>A node with what Gatehouse concludes about it: its compatibility, and whether it runs the expected config.</summary>
public sealed record NodeView(DataPlaneNode Node, CompatibilityStatus Compatibility, string ExpectedConfigHash)
{
    public const string InSync = "in_sync";
    public const string OutOfSync = "out_of_sync";

    public string SyncStatus => Node.ConfigHash == ExpectedConfigHash ? InSync : OutOfSync;
}
