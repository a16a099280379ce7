using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas.CustomPlugins;

namespace Gatehouse.Core.Tests.Entities.CustomPlugins;

/// <summary>
/// Mutated schema texts (truncated, bytes changed, pieces of Lua spliced in, nested deep, numbers
/// huge): reading one either gives a schema that works or a <see cref="LuaSchemaException"/>, never
/// anything else, and a schema it gives can be shown and can validate without throwing.
/// </summary>
public sealed class LuaSchemaFuzzTests
{
    private static readonly string[] s_seeds = ["key-auth", "hmac-auth", "ip-restriction", "correlation-id", "cors", "request-termination"];

    private static readonly string[] s_splices =
    [
        "{", "}", "{{{{", "}}}}", "(", ")", "[[", "]]", "--[[", "\"", "'", "\\", "=", "==", ",", ";", ".", "..", "...", ":", "#", "-", "^", "%",
        "local", "function", "end", "return", "nil", "true", "not", "and", "for", "if", "typedefs", "typedefs.", "require", "x",
        "1e308", "1e309", "-1e400", "0x", "0xFFFFFFFFFFFFFFFFFFFF", "9999999999999999999999", "2^1024", "1/0", "0/0",
        "type = \"record\"", "type = \"array\"", "fields = {", "elements =", "default = {", "one_of = {}", "between = { 1 }", "match = \"[\"",
        "\0", "\u00e9", "\ud800", "\n", "\r\n", "--", "[=[", "]=]",
    ];

    private static string Seed(string plugin) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Entities", "CustomPlugins", "KongLua", $"{plugin}.lua"));

    public static IEnumerable<TheoryDataRow<string>> Mutants()
    {
        var random = new Random(20261202);
        // Kong's schemas open alike, so their first cuts repeat: each is tried once.
        var cuts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var plugin in s_seeds)
        {
            var text = Seed(plugin);
            for (var cut = 0; cut < text.Length; cut += 7)
            {
                if (!cuts.Add(text[..cut]))
                {
                    continue;
                }
                yield return new TheoryDataRow<string>(text[..cut]) { Label = $"{plugin} cut at {cut}" };
            }
            for (var i = 0; i < 150; i++)
            {
                var mutant = new StringBuilder(text);
                for (var edits = random.Next(1, 6); edits > 0; edits--)
                {
                    var at = random.Next(mutant.Length);
                    switch (random.Next(3))
                    {
                        case 0:
                            mutant[at] = (char)random.Next(0, 0x3000);
                            break;
                        case 1:
                            mutant.Insert(at, s_splices[random.Next(s_splices.Length)]);
                            break;
                        default:
                            mutant.Remove(at, Math.Min(random.Next(1, 20), mutant.Length - at));
                            break;
                    }
                }
                yield return new TheoryDataRow<string>(mutant.ToString()) { Label = $"{plugin} mutant {i}" };
            }
        }
        yield return new TheoryDataRow<string>("return " + new string('{', 20_000)) { Label = "unclosed nesting" };
        yield return new TheoryDataRow<string>("return { name = \"n\", fields = { { config = { type = \"record\", fields = { { a = { type = \"number\", default = "
            + new string('9', 5000) + " } } } } } } }")
        { Label = "a 5000-digit number" };
        yield return new TheoryDataRow<string>("return { name = \"n\", fields = { { config = { type = \"record\", fields = { { a = { type = \"array\", elements = { type = \"string\" }, default = "
            + new string('{', 30) + new string('}', 30) + " } } } } } } }")
        { Label = "a deep default" };
        yield return new TheoryDataRow<string>(Encoding.Latin1.GetString(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray())) { Label = "every byte" };
    }

    [Theory]
    [MemberData(nameof(Mutants))]
    public void A_mutated_schema_is_read_or_refused_and_nothing_else(string lua)
    {
        Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginSchema schema;
        try
        {
            schema = LuaSchemaConverter.Convert(lua);
        }
        catch (LuaSchemaException refused)
        {
            Assert.True(refused.Line >= 1, $"line {refused.Line}");
            Assert.False(string.IsNullOrWhiteSpace(refused.Reason));
            return;
        }
        // Whatever was accepted must be usable: shown in Kong's JSON and validating a plugin.
        _ = KongSchemaJson.Plugin(schema).ToJsonString();
        var plugins = LuaSchemaConverterTests.PluginsWith(schema);
        _ = new EntityProcessor(EntityAssert.Clock).Prepare(plugins, new JsonObject { ["name"] = schema.Name, ["config"] = new JsonObject() }, WriteMode.Insert);
    }
}
