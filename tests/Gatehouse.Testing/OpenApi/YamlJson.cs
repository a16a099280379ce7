using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Testing.OpenApi;

/// <summary>
/// Reads YAML into JSON nodes with the YAML 1.2 core schema, so that a spec means the same as its
/// JSON form: only unquoted scalars are typed (null, booleans, numbers); anything quoted, literal or
/// folded stays a string, as does a plain scalar such as <c>yes</c> or <c>2022-11-04</c>.
/// </summary>
public static partial class YamlJson
{
    private const string CoreTag = "tag:yaml.org,2002:";

    /// <summary>The single document in <paramref name="yaml"/>; a YAML null becomes a JSON null (C# null).</summary>
    public static JsonNode? Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count != 1)
        {
            throw new FormatException($"Expected one YAML document, found {stream.Documents.Count}.");
        }
        return Convert(stream.Documents[0].RootNode, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
    }

    // An alias may point at one of its own ancestors, which JSON cannot express; without the check
    // that recursion would end in a stack overflow that takes the test host down.
    private static JsonNode? Convert(YamlNode node, HashSet<YamlNode> ancestors)
    {
        if (!ancestors.Add(node))
        {
            throw new FormatException($"The YAML at {node.Start} contains itself through an alias.");
        }
        try
        {
            return node switch
            {
                YamlScalarNode scalar => Scalar(scalar),
                YamlSequenceNode sequence => Sequence(sequence, ancestors),
                YamlMappingNode mapping => Mapping(mapping, ancestors),
                _ => throw new NotSupportedException($"Unsupported YAML node {node.NodeType} at {node.Start}."),
            };
        }
        finally
        {
            ancestors.Remove(node);
        }
    }

    private static JsonArray Sequence(YamlSequenceNode sequence, HashSet<YamlNode> ancestors)
    {
        RequireCollectionTag(sequence, "seq");
        var array = new JsonArray();
        foreach (var item in sequence.Children)
        {
            array.Add(Convert(item, ancestors));
        }
        return array;
    }

    private static JsonObject Mapping(YamlMappingNode mapping, HashSet<YamlNode> ancestors)
    {
        RequireCollectionTag(mapping, "map");
        var obj = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            // JSON keys are strings whatever they look like: `200:` is the key "200".
            if (key is not YamlScalarNode name)
            {
                throw new NotSupportedException($"A YAML mapping key at {key.Start} is not a scalar, which JSON cannot express.");
            }
            obj.Add(name.Value ?? "", Convert(value, ancestors));
        }
        return obj;
    }

    private static void RequireCollectionTag(YamlNode node, string kind)
    {
        if (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific && node.Tag.Value != CoreTag + kind)
        {
            throw new NotSupportedException($"Unsupported YAML tag {node.Tag.Value} at {node.Start}.");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Tag.IsEmpty)
        {
            return scalar.Style == ScalarStyle.Plain ? Resolve(text) : JsonValue.Create(text);
        }
        if (scalar.Tag.IsNonSpecific)
        {
            return JsonValue.Create(text);
        }
        var tag = scalar.Tag.Value;
        if (tag == CoreTag + "str")
        {
            return JsonValue.Create(text);
        }
        var wanted = tag switch
        {
            CoreTag + "null" => JsonValueKind.Null,
            CoreTag + "bool" => JsonValueKind.True,
            CoreTag + "int" or CoreTag + "float" => JsonValueKind.Number,
            _ => throw new NotSupportedException($"Unsupported YAML tag {tag} at {scalar.Start}."),
        };
        var value = Resolve(text);
        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        if (kind == wanted || (wanted == JsonValueKind.True && kind == JsonValueKind.False))
        {
            return value;
        }
        throw new FormatException($"'{text}' at {scalar.Start} is not a valid {tag}.");
    }

    /// <summary>What an untagged plain scalar means under the YAML 1.2 core schema.</summary>
    private static JsonNode? Resolve(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (text.StartsWith("0x", StringComparison.Ordinal) && HexDigits().IsMatch(text.AsSpan(2)))
        {
            return Number(BigInteger.Parse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        }
        if (text.StartsWith("0o", StringComparison.Ordinal) && OctalDigits().IsMatch(text.AsSpan(2)))
        {
            return Number(text[2..].Aggregate(BigInteger.Zero, (sum, digit) => (sum * 8) + (digit - '0')).ToString(CultureInfo.InvariantCulture));
        }
        var number = DecimalNumber().Match(text);
        if (number.Success)
        {
            return Number(JsonNumberText(number));
        }
        if (Infinity().IsMatch(text) || text is ".nan" or ".NaN" or ".NAN")
        {
            throw new FormatException($"The YAML number {text} has no JSON form.");
        }
        return JsonValue.Create(text);
    }

    // YAML allows `+1`, `007`, `1.` and `.5`, which JSON does not; rewriting the text keeps every
    // digit, where going through double or decimal would round.
    private static string JsonNumberText(Match number)
    {
        var sign = number.Groups["sign"].Value == "-" ? "-" : "";
        var integer = number.Groups["int"].Value.TrimStart('0');
        var fraction = number.Groups["frac"].Value;
        return sign
            + (integer.Length == 0 ? "0" : integer)
            + (fraction.Length == 0 ? "" : "." + fraction)
            + number.Groups["exp"].Value;
    }

    private static JsonNode Number(string json) => JsonNode.Parse(json)!;

    [GeneratedRegex(@"^(?<sign>[-+]?)(?:(?<int>[0-9]+)(?:\.(?<frac>[0-9]*))?|\.(?<frac>[0-9]+))(?<exp>[eE][-+]?[0-9]+)?$")]
    private static partial Regex DecimalNumber();

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex HexDigits();

    [GeneratedRegex("^[0-7]+$")]
    private static partial Regex OctalDigits();

    [GeneratedRegex(@"^[-+]?\.(?:inf|Inf|INF)$")]
    private static partial Regex Infinity();
}
