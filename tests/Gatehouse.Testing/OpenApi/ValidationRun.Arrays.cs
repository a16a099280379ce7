using System.Text.Json;

namespace Gatehouse.Testing.OpenApi;

/// <summary>items, min/maxItems, uniqueItems.</summary>
internal sealed partial class ValidationRun
{
    private void CheckItems(JsonElement items, string at, JsonElement instance, string path)
    {
        if (instance.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        if (items.ValueKind == JsonValueKind.Array)
        {
            // Draft 4's tuple form; none of the specs use it.
            validator.NoteUnknownKeyword("items (array form)");
            return;
        }
        var index = 0;
        foreach (var item in instance.EnumerateArray())
        {
            Check(items, at, item, InstancePath.Index(path, index++));
        }
    }

    private void CheckItemCount(JsonElement bound, string at, JsonElement instance, string path, bool minimum)
    {
        if (instance.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        var count = instance.GetArrayLength();
        var limit = bound.GetInt32();
        if (minimum ? count < limit : count > limit)
        {
            Fail(path, at, $"has {count} items, {(minimum ? "fewer" : "more")} than the {(minimum ? "minimum" : "maximum")} of {limit}");
        }
    }

    private void CheckUniqueItems(JsonElement unique, string at, JsonElement instance, string path)
    {
        if (instance.ValueKind != JsonValueKind.Array || unique.ValueKind != JsonValueKind.True)
        {
            return;
        }
        var items = instance.EnumerateArray().ToList();
        for (var i = 0; i < items.Count; i++)
        {
            for (var j = i + 1; j < items.Count; j++)
            {
                if (JsonElement.DeepEquals(items[i], items[j]))
                {
                    Fail(path, at, $"items [{i}] and [{j}] are equal, and uniqueItems is true");
                    return;
                }
            }
        }
    }
}
