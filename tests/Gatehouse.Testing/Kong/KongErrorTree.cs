using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gatehouse.Testing.Kong;

/// <summary>
/// Kong's <c>err_t</c> for a declarative config: a Lua table mirroring the input, where arrays are
/// indexed from 1, a field's error is a string and an entity's own errors are a list under
/// <c>@entity</c>. It is kept as Kong keeps it so that it prints (<c>message</c>), encodes
/// (<c>fields</c>) and flattens (<c>flattened_errors</c>) the way Kong's does.
/// </summary>
internal sealed partial class KongErrorTree
{
    public const string EntityKey = "@entity";

    private readonly SortedDictionary<string, object> _named = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, object> _indexed = [];

    public bool IsEmpty => _named.Count == 0 && _indexed.Count == 0;

    /// <summary>Records <paramref name="message"/> at a path of property names and 1-based indexes.</summary>
    public void Add(IReadOnlyList<object> path, string message)
    {
        if (path.Count == 0)
        {
            Add([EntityKey], message);
            return;
        }
        var node = this;
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (node.Get(path[i]) is not KongErrorTree child)
            {
                // Kong reports one error per field; the first one said stays.
                if (node.Get(path[i]) is not null)
                {
                    return;
                }
                child = new KongErrorTree();
                node.Set(path[i], child);
            }
            node = child;
        }
        var last = path[^1];
        switch (node.Get(last))
        {
            case null when Equals(last, EntityKey):
                node.Set(last, new List<string> { message });
                break;
            case null:
                node.Set(last, message);
                break;
            case List<string> list:
                list.Add(message);
                break;
            case KongErrorTree tree:
                tree.Add([EntityKey], message);
                break;
        }
    }

    public object? Get(object key) => key switch
    {
        int index => _indexed.GetValueOrDefault(index),
        string name => _named.GetValueOrDefault(name),
        _ => null,
    };

    public void Remove(object key)
    {
        if (key is int index)
        {
            _indexed.Remove(index);
        }
        else
        {
            _named.Remove((string)key);
        }
    }

    /// <summary>Keys in the order Kong's <c>drain</c> visits them (sorted).</summary>
    public IReadOnlyList<object> Keys => [.. _indexed.Keys.Cast<object>(), .. _named.Keys];

    /// <summary>As cjson encodes it: a table with only integer keys is an array, holes as null.</summary>
    public JsonNode ToJson()
    {
        if (_named.Count == 0 && _indexed.Count > 0)
        {
            var array = new JsonArray();
            for (var i = 1; i <= _indexed.Keys.Max(); i++)
            {
                array.Add(ValueToJson(_indexed.GetValueOrDefault(i)));
            }
            return array;
        }
        var json = new JsonObject();
        foreach (var (key, value) in _indexed)
        {
            json[key.ToString(CultureInfo.InvariantCulture)] = ValueToJson(value);
        }
        foreach (var (key, value) in _named)
        {
            json[key] = ValueToJson(value);
        }
        return json;
    }

    /// <summary>As penlight's <c>pretty.write(err_t, "")</c> prints it, which Kong puts in <c>message</c>.</summary>
    public string ToLua()
    {
        var text = new StringBuilder();
        WriteLua(this, text);
        return text.ToString();
    }

    private void Set(object key, object value)
    {
        if (key is int index)
        {
            _indexed[index] = value;
        }
        else
        {
            _named[(string)key] = value;
        }
    }

    private static JsonNode? ValueToJson(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        List<string> list => new JsonArray([.. list.Select(item => (JsonNode?)JsonValue.Create(item))]),
        KongErrorTree tree => tree.ToJson(),
        _ => throw new InvalidOperationException($"Unexpected error value {value.GetType()}."),
    };

    private static void WriteLua(object value, StringBuilder text)
    {
        switch (value)
        {
            case string message:
                WriteLuaString(message, text);
                return;
            case List<string> list:
                text.Append('{').AppendJoin(',', list.Select(LuaString)).Append('}');
                return;
            case KongErrorTree tree:
                text.Append('{');
                var first = true;
                void Separate()
                {
                    if (!first)
                    {
                        text.Append(',');
                    }
                    first = false;
                }
                // The array part (1..n without holes) goes bare, as ipairs sees it; the rest as [i]= and name=.
                var sequence = 0;
                while (tree._indexed.TryGetValue(sequence + 1, out var item))
                {
                    Separate();
                    WriteLua(item, text);
                    sequence++;
                }
                foreach (var (key, item) in tree._indexed.Where(pair => pair.Key > sequence))
                {
                    Separate();
                    text.Append('[').Append(key.ToString(CultureInfo.InvariantCulture)).Append("]=");
                    WriteLua(item, text);
                }
                foreach (var (key, item) in tree._named)
                {
                    Separate();
                    text.Append(LuaName().IsMatch(key) ? key : "[" + LuaString(key) + "]").Append('=');
                    WriteLua(item, text);
                }
                text.Append('}');
                return;
        }
    }

    private static string LuaString(string value)
    {
        var text = new StringBuilder();
        WriteLuaString(value, text);
        return text.ToString();
    }

    private static void WriteLuaString(string value, StringBuilder text) =>
        text.Append('"')
            .Append(value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal))
            .Append('"');

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex LuaName();
}
