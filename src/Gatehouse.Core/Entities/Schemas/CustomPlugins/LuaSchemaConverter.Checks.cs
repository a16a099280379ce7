using System.Text.Json;
using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;

namespace Gatehouse.Core.Entities.Schemas.CustomPlugins;

/// <summary>
/// Kong's entity checks in a custom schema (kong/db/schema/init.lua's entity_checkers at 3.9.3):
/// the ones without code, on fields the schema declares, by dotted path from where they stand.
/// </summary>
public static partial class LuaSchemaConverter
{
    private static IReadOnlyList<EntityCheck> ConvertChecks(LuaValue value, IReadOnlyList<Field> scope)
    {
        if (value is not LuaTable { Fields.Count: 0 } list)
        {
            throw new LuaSchemaException(value.Line, "entity_checks must be a list of { check_name = ... } entries");
        }
        var checks = new List<EntityCheck>();
        foreach (var item in list.Items)
        {
            if (item is not LuaTable { Items.Count: 0, Fields: [var (name, argument)] })
            {
                throw new LuaSchemaException(item.Line, "each entity check is a table with exactly one named check");
            }
            var path = $"entity_checks.{name}";
            checks.Add(name switch
            {
                "at_least_one_of" => AtLeastOneOf([.. Paths(argument, path, scope)]),
                "only_one_of" => OnlyOneOf([.. Paths(argument, path, scope)]),
                "mutually_exclusive" => MutuallyExclusive([.. Paths(argument, path, scope)]),
                "mutually_required" => MutuallyRequired([.. Paths(argument, path, scope)]),
                "distinct" when Paths(argument, path, scope) is [var first, var second] => Distinct(first, second),
                "distinct" => throw new LuaSchemaException(argument.Line, $"{path} takes two fields"),
                "conditional" => ConditionalCheck(argument, path, scope),
                "conditional_at_least_one_of" => ConditionalAtLeastOneOfCheck(argument, path, scope),
                "custom_entity_check" => throw new LuaSchemaException(item.Line, "custom_entity_check needs code, which custom schemas cannot hold"),
                _ => throw new LuaSchemaException(item.Line, $"the entity check '{name}' is not supported"),
            });
        }
        return checks;
    }

    private static IReadOnlyList<string> Paths(LuaValue value, string path, IReadOnlyList<Field> scope)
    {
        var paths = Strings(value, path, "the check");
        foreach (var field in paths)
        {
            _ = Resolve(field, scope, value.Line, path);
        }
        return paths;
    }

    /// <summary>The field at a dotted path among <paramref name="scope"/>, as Kong's metaschema insists the field exists.</summary>
    private static Field Resolve(string path, IReadOnlyList<Field> scope, int line, string where)
    {
        Field? field = null;
        var fields = scope;
        foreach (var step in path.Split('.'))
        {
            field = fields?.FirstOrDefault(f => f.Name == step)
                ?? throw new LuaSchemaException(line, $"{where}: no field '{path}' in the schema");
            fields = field.Fields;
        }
        return field!;
    }

    private static EntityCheck ConditionalCheck(LuaValue argument, string path, IReadOnlyList<Field> scope)
    {
        var table = ArgumentTable(argument, path, ["if_field", "if_match", "then_field", "then_match", "then_err"]);
        var ifField = Text(Required(table, "if_field", path), path, "if_field");
        var thenField = Text(Required(table, "then_field", path), path, "then_field");
        var when = IfMatch(Required(table, "if_match", path), Resolve(ifField, scope, table.Line, path), path);
        _ = Resolve(thenField, scope, table.Line, path);
        var then = ThenMatch(Required(table, "then_match", path), path);
        var thenError = table["then_err"] is { } err ? Text(err, path, "then_err") : null;
        return Conditional(ifField, when, thenField, then, thenError);
    }

    private static EntityCheck ConditionalAtLeastOneOfCheck(LuaValue argument, string path, IReadOnlyList<Field> scope)
    {
        var table = ArgumentTable(argument, path, ["if_field", "if_match", "then_at_least_one_of", "then_err"]);
        var ifField = Text(Required(table, "if_field", path), path, "if_field");
        var when = IfMatch(Required(table, "if_match", path), Resolve(ifField, scope, table.Line, path), path);
        var fields = Paths(Required(table, "then_at_least_one_of", path), path, scope);
        var thenError = table["then_err"] is { } err ? Text(err, path, "then_err") : null;
        return ConditionalAtLeastOneOf(ifField, when, [.. fields], thenError);
    }

    private static LuaTable ArgumentTable(LuaValue argument, string path, string[] keys)
    {
        if (argument is not LuaTable { Items.Count: 0 } table)
        {
            throw new LuaSchemaException(argument.Line, $"{path} takes a table of named arguments");
        }
        if (table.Fields.FirstOrDefault(f => !keys.Contains(f.Key)) is { Key: not null } unknown)
        {
            throw new LuaSchemaException(unknown.Value.Line, $"{path}: '{unknown.Key}' is not supported (else_match and the like are not)");
        }
        return table;
    }

    private static LuaValue Required(LuaTable table, string key, string path) =>
        table[key] ?? throw new LuaSchemaException(table.Line, $"{path} needs '{key}'");

    /// <summary>
    /// An if_match: <c>eq</c>, <c>one_of</c>, <c>not_one_of</c> or <c>gt</c>. Kong validates the if-field's
    /// value against it as a field, so a null on a field that is not required matches all but
    /// <c>eq</c> (si:877-888), as <see cref="NullOr"/> has it.
    /// </summary>
    private static Func<JsonNode?, bool> IfMatch(LuaValue value, Field ifField, string path)
    {
        var (key, argument) = SingleMatcher(value, path, "if_match");
        var matcher = (key, argument) switch
        {
            ("eq", LuaString s) => Is(s.Value),
            ("eq", LuaBoolean { Value: true }) => IsTrue,
            ("eq", LuaBoolean { Value: false }) => Eq(JsonValue.Create(false)),
            ("eq", LuaNumber n) => Eq(SchemaRules.Number(n.Value)),
            ("one_of", _) => Is([.. Strings(argument, path, "one_of")]),
            ("not_one_of", _) => IsNot([.. Strings(argument, path, "not_one_of")]),
            ("gt", LuaNumber n) => Greater(n.Value),
            _ => throw new LuaSchemaException(value.Line, $"{path}: if_match supports eq, one_of, not_one_of and gt"),
        };
        return key != "eq" && !ifField.Required ? NullOr(matcher) : matcher;
    }

    private static Func<JsonNode?, bool> Eq(JsonNode wanted)
    {
        Func<JsonNode?, bool> matches = node => node is not null && node.GetValueKind() != JsonValueKind.Null && JsonNode.DeepEquals(node, wanted);
        return matches.Named("eq", wanted);
    }

    /// <summary>A then_match: <c>required = true</c>, <c>eq</c> (a string or a boolean), <c>one_of</c> or <c>contains</c>.</summary>
    private static Func<JsonNode?, string?> ThenMatch(LuaValue value, string path)
    {
        var (key, argument) = SingleMatcher(value, path, "then_match");
        return (key, argument) switch
        {
            ("required", LuaBoolean { Value: true }) => EntityChecks.Required,
            ("eq", LuaString s) => MustBe(s.Value),
            ("eq", LuaBoolean b) => MustBe(b.Value),
            ("one_of", _) => OneOfValues([.. Strings(argument, path, "one_of")]),
            ("contains", LuaString s) => Contains(s.Value),
            _ => throw new LuaSchemaException(value.Line, $"{path}: then_match supports required = true, eq (a string or a boolean), one_of and contains"),
        };
    }

    private static (string Key, LuaValue Argument) SingleMatcher(LuaValue value, string path, string name) =>
        value is LuaTable { Items.Count: 0, Fields: [var (key, argument)] }
            ? (key, argument)
            : throw new LuaSchemaException(value.Line, $"{path}: {name} is a table with one rule");
}
