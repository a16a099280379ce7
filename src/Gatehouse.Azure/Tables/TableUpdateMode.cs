namespace Gatehouse.Azure.Tables;

public enum TableUpdateMode
{
    /// <summary>Keeps properties the new entity does not name (HTTP MERGE).</summary>
    Merge,

    /// <summary>Makes the stored entity exactly the new one (HTTP PUT).</summary>
    Replace,
}
