using Gatehouse.Core.Entities.Schemas.CustomPlugins;

namespace Gatehouse.Core.Tests.Entities.CustomPlugins;

public sealed class LuaSchemaParserTests
{
    [Fact]
    public void Reads_locals_typedefs_literals_comments_and_constant_arithmetic()
    {
        var value = LuaSchemaParser.Parse("""
            #!/usr/bin/env lua
            -- a comment
            local typedefs = require "kong.db.schema.typedefs"
            local NAME = 'my' .. "plugin"
            --[==[ a long
            comment ]==]
            local UNITS = { "bytes", "kilobytes" }
            local big = 2^31 - 2;
            return {
              name = NAME,
              fields = {
                { protocols = typedefs.protocols { default = { "http" } } },
                { text = [[line one
            line two]], hex = 0x1F, neg = -1.5e2, esc = "a\tb\65\x42", unit = UNITS[2], ["quoted key"] = true, big = big, gone = nil },
              },
            }
            """);

        var root = Assert.IsType<LuaTable>(value);
        Assert.Equal("myplugin", Assert.IsType<LuaString>(root["name"]).Value);
        var fields = Assert.IsType<LuaTable>(root["fields"]);
        var protocols = Assert.IsType<LuaTypedef>(Assert.IsType<LuaTable>(fields.Items[0])["protocols"]);
        Assert.Equal("protocols", protocols.Name);
        Assert.Equal("http", Assert.IsType<LuaString>(Assert.IsType<LuaTable>(protocols.Overrides!["default"]).Items[0]).Value);
        var literals = Assert.IsType<LuaTable>(fields.Items[1]);
        Assert.Equal("line one\nline two", Assert.IsType<LuaString>(literals["text"]).Value);
        Assert.Equal(31, Assert.IsType<LuaNumber>(literals["hex"]).Value);
        Assert.Equal(-150, Assert.IsType<LuaNumber>(literals["neg"]).Value);
        Assert.Equal("a\tbAB", Assert.IsType<LuaString>(literals["esc"]).Value);
        Assert.Equal("kilobytes", Assert.IsType<LuaString>(literals["unit"]).Value);
        Assert.True(Assert.IsType<LuaBoolean>(literals["quoted key"]).Value);
        Assert.Equal(2147483646, Assert.IsType<LuaNumber>(literals["big"]).Value);
        Assert.Null(literals["gone"]);
        Assert.Equal(13, literals.Line);
    }

    [Theory]
    [InlineData("local function f() end\nreturn {}", 1, "function definitions are not supported")]
    [InlineData("local t = {}\n\nreturn { v = function() return 1 end }", 3, "function definitions are not supported")]
    [InlineData("function f() end", 1, "function definitions are not supported")]
    [InlineData("local x = 1\nfor i = 1, 2 do end", 2, "loops are not supported")]
    [InlineData("while true do end", 1, "loops are not supported")]
    [InlineData("repeat until true", 1, "loops are not supported")]
    [InlineData("if true then end", 1, "if statements are not supported")]
    [InlineData("x = 1", 1, "assignments and function calls are not supported: only local declarations and one return")]
    [InlineData("print('hi')", 1, "assignments and function calls are not supported: only local declarations and one return")]
    [InlineData("local t = require 'kong.plugins.cors.handler'", 1, "require \"kong.plugins.cors.handler\" is not supported: only \"kong.db.schema.typedefs\" may be required")]
    [InlineData("local s = string.rep('a', 10)", 1, "unknown name 'string': only locals declared above may be used")]
    [InlineData("local t = {}\nreturn { n = t.x }", 2, "the table has no field 'x'")]
    [InlineData("local t = {}\nreturn t:method()", 2, "method calls are not supported")]
    [InlineData("local t = {}\nreturn t()", 2, "function calls are not supported: only require \"kong.db.schema.typedefs\" and typedefs.<name> { ... }")]
    [InlineData("return { a = 1 and 2 }", 1, "the operator 'and' is not supported")]
    [InlineData("return { a = not true }", 1, "the operator 'not' is not supported")]
    [InlineData("return { a = 'x' + 1 }", 1, "'+' applies to numbers only")]
    [InlineData("return { a = 1e999 }", 1, "number '1e999' is out of range")]
    [InlineData("return { a = 10^400 }", 1, "the arithmetic gives no finite number")]
    [InlineData("return { a = 'open }", 1, "unfinished string")]
    [InlineData("return {\n a = [[never closed }", 2, "unfinished long string or comment")]
    [InlineData("return { a = 1, a = 2 }", 1, "the field 'a' is given twice")]
    [InlineData("return { a = 1 } junk", 1, "nothing may follow the returned value ('junk' found)")]
    [InlineData("local x = 1", 1, "the schema must return a table ('return { ... }')")]
    [InlineData("return {\n\n a = 1 b = 2 }", 3, "'}' expected (to close '{' at line 1) near 'b'")]
    [InlineData("return { a = @ }", 1, "unexpected character '@'")]
    [InlineData("local x <const> = 1", 1, "local attributes are not supported")]
    public void Refuses_what_is_outside_the_subset_naming_the_line(string lua, int line, string reason)
    {
        var refused = Assert.Throws<LuaSchemaException>(() => LuaSchemaParser.Parse(lua));
        Assert.Equal(reason, refused.Reason);
        Assert.Equal(line, refused.Line);
        Assert.Equal($"line {line}: {reason}", refused.Message);
    }

    [Fact]
    public void Refuses_nesting_past_the_cap_instead_of_overflowing_the_stack()
    {
        var tables = "return " + new string('{', 50_000) + new string('}', 50_000);
        Assert.Contains("nesting deeper than", Assert.Throws<LuaSchemaException>(() => LuaSchemaParser.Parse(tables)).Reason);
        var parentheses = "return " + new string('(', 50_000) + "1" + new string(')', 50_000);
        Assert.Contains("nesting deeper than", Assert.Throws<LuaSchemaException>(() => LuaSchemaParser.Parse(parentheses)).Reason);
        var negations = "return " + string.Concat(Enumerable.Repeat("- ", 50_000)) + "1";
        Assert.Contains("nesting deeper than", Assert.Throws<LuaSchemaException>(() => LuaSchemaParser.Parse(negations)).Reason);
        Assert.IsType<LuaTable>(LuaSchemaParser.Parse("return " + new string('{', LuaSchemaParser.MaxDepth) + new string('}', LuaSchemaParser.MaxDepth)));
    }

    [Fact]
    public void Refuses_tables_that_locals_stack_too_deep_or_double_too_often()
    {
        var deep = string.Concat(Enumerable.Range(1, 40).Select(i => $"local t{i} = {{ t{i - 1} }}\n"));
        var refused = Assert.Throws<LuaSchemaException>(() => LuaSchemaParser.Parse("local t0 = {}\n" + deep + "return t40"));
        Assert.Equal((LuaSchemaParser.MaxDepth + 1, $"nesting deeper than {LuaSchemaParser.MaxDepth} levels is not supported"), (refused.Line, refused.Reason));
        var doubling = string.Concat(Enumerable.Range(1, 30).Select(i => $"local t{i} = {{ t{i - 1}, t{i - 1} }}\n"));
        Assert.Contains("more than", Assert.Throws<LuaSchemaException>(() => LuaSchemaParser.Parse("local t0 = { 1 }\n" + doubling + "return t30")).Reason);
    }

    [Fact]
    public void Refuses_text_past_the_length_cap()
    {
        var text = "return {}" + new string(' ', LuaSchemaParser.MaxLength);
        Assert.Contains("longer than", Assert.Throws<LuaSchemaException>(() => LuaSchemaParser.Parse(text)).Reason);
    }

    [Theory]
    [InlineData("^%u+$", "GET", "get")]
    [InlineData("^[%w_-]+$", "a-b_1", "a b")]
    [InlineData("^%d%d?%.%d+$", "1.50", "1.")]
    [InlineData("%s", "a b", "ab")]
    [InlineData("^[^/]+$", "abc", "a/c")]
    [InlineData("^a.-b$", "axxb", "axx")]
    [InlineData("^(%a+)=%S+$", "key=v", "key= v")]
    [InlineData("^[%]x]$", "]", "y")]
    [InlineData("a|b", "xa|by", "ab")]
    public void Lua_patterns_match_as_Lua_matches_them(string pattern, string matching, string other)
    {
        var regex = LuaPattern.ToRegex(pattern, 1);
        Assert.Matches(regex, matching);
        Assert.DoesNotMatch(regex, other);
    }

    [Theory]
    [InlineData("%b()")]
    [InlineData("%f[%w]")]
    [InlineData("(a)%1")]
    [InlineData("[a")]
    [InlineData("abc%")]
    public void Lua_patterns_without_a_regular_equivalent_are_refused(string pattern) =>
        Assert.StartsWith("match: ", Assert.Throws<LuaSchemaException>(() => LuaPattern.ToRegex(pattern, 7)).Reason);
}
