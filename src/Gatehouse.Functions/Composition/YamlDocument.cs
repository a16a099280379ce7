using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.Core.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// Reads a kong.yaml as the JSON it stands for, with YAML 1.2's core schema for plain scalars
/// (null, booleans, integers, floats; everything quoted is a string). Bounded, because files come
/// from clients: one document, limited depth, and aliases may not expand past a node budget.
/// </summary>
internal static partial class YamlDocument
{
    private const int MaxDepth = 64;
    private const int MaxNodes = 2_000_000;

    public static JsonNode? Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw Invalid($"YAML is malformed at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        if (stream.Documents.Count != 1)
        {
            throw Invalid($"expected one YAML document, found {stream.Documents.Count}");
        }
        var budget = MaxNodes;
        return Convert(stream.Documents[0].RootNode, 0, ref budget);
    }

    private static JsonNode? Convert(YamlNode node, int depth, ref int budget)
    {
        if (depth > MaxDepth)
        {
            throw Invalid($"YAML nests deeper than {MaxDepth} levels at line {node.Start.Line}");
        }
        if (--budget < 0)
        {
            throw Invalid($"YAML expands to more than {MaxNodes:N0} nodes (aliases?)");
        }
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw Invalid($"YAML mapping keys must be strings (line {key.Start.Line})");
                    }
                    if (!obj.TryAdd(name, Convert(value, depth + 1, ref budget)))
                    {
                        throw Invalid($"YAML mapping has the key '{name}' twice (line {key.Start.Line})");
                    }
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item, depth + 1, ref budget));
                }
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw Invalid($"unsupported YAML node at line {node.Start.Line}");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return JsonValue.Create(value);
        }
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (value is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }
        if (value is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }
        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }
        return JsonValue.Create(value);
    }

    private static RequestInvalidException Invalid(string reason) =>
        new("Invalid request format.", [new InvalidParameter("body", reason, "invalid")]);

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
