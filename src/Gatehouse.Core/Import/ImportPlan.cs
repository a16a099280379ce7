using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;

namespace Gatehouse.Core.Import;

public enum ImportAction
{
    Create,
    Update,
    Delete,
}

/// <summary>One entity an import creates, changes (with the fields that change) or deletes.</summary>
public sealed record PlannedChange(ImportAction Action, EntitySchema Schema, JsonObject Entity, JsonObject? Previous, IReadOnlyList<string> ChangedFields)
{
    public string Id => EntityIndexes.IdOf(Entity);
}

/// <summary>What it takes to make a control plane's entities the file's: the diff, at the revision it was planned against.</summary>
public sealed record ImportPlan(IReadOnlyList<PlannedChange> Changes, int Unchanged, long Revision)
{
    public int Count(ImportAction action) => Changes.Count(c => c.Action == action);
}
