using System.Text;
using System.Text.RegularExpressions;

namespace Gatehouse.Core.Entities.Schemas.CustomPlugins;

/// <summary>
/// Kong's <c>match</c> takes a Lua pattern (Lua 5.1 manual §5.4.1), and a match anywhere in the
/// value passes (<c>string.find</c>). This turns the common subset into a .NET regex: character
/// classes (<c>%a %d %l %s %u %w %x %p %c</c> and their negations), sets, <c>.</c>, anchors,
/// the quantifiers <c>* + - ?</c> and captures. <c>%b</c>, <c>%f</c> and back-references have no
/// regular equivalent here and are refused. Only whether it matches is asked, so Lua's lazy
/// <c>-</c> is read as <c>*</c>, and the regex runs without backtracking (linear time).
/// </summary>
public static class LuaPattern
{
    public static Regex ToRegex(string pattern, int line)
    {
        var regex = new StringBuilder();
        var i = 0;
        if (pattern.StartsWith('^'))
        {
            regex.Append('^');
            i = 1;
        }
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '$' && i == pattern.Length - 1)
            {
                regex.Append(@"\z");
                i++;
                continue;
            }
            switch (c)
            {
                case '(':
                    regex.Append("(?:");
                    i++;
                    continue;
                case ')':
                    regex.Append(')');
                    i++;
                    continue;
                case '%' when i + 1 < pattern.Length && pattern[i + 1] is 'b' or 'f' or (>= '0' and <= '9'):
                    throw new LuaSchemaException(line, $"match: the pattern item '%{pattern[i + 1]}' is not supported");
            }
            string single;
            (single, i) = SingleCharacterClass(pattern, i, line);
            regex.Append(single);
            if (i < pattern.Length && pattern[i] is '*' or '+' or '-' or '?')
            {
                regex.Append(pattern[i] == '-' ? '*' : pattern[i]);
                i++;
            }
        }
        try
        {
            return new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (ArgumentException)
        {
            throw new LuaSchemaException(line, $"match: '{pattern}' is not a pattern Gatehouse can read");
        }
    }

    private static (string Regex, int Next) SingleCharacterClass(string pattern, int i, int line)
    {
        var c = pattern[i];
        switch (c)
        {
            case '.':
                return (@"[\s\S]", i + 1);
            case '%':
                if (i + 1 >= pattern.Length)
                {
                    throw new LuaSchemaException(line, "match: malformed pattern (ends with '%')");
                }
                return (ClassEscape(pattern[i + 1], inSet: false, line), i + 2);
            case '[':
                return Set(pattern, i, line);
            default:
                return (Regex.Escape(c.ToString()), i + 1);
        }
    }

    private static (string Regex, int Next) Set(string pattern, int start, int line)
    {
        var set = new StringBuilder("[");
        var i = start + 1;
        if (i < pattern.Length && pattern[i] == '^')
        {
            set.Append('^');
            i++;
        }
        var first = true;
        while (true)
        {
            if (i >= pattern.Length)
            {
                throw new LuaSchemaException(line, "match: malformed pattern (missing ']')");
            }
            var c = pattern[i];
            if (c == ']' && !first)
            {
                return (set.Append(']').ToString(), i + 1);
            }
            first = false;
            if (c == '%')
            {
                if (i + 1 >= pattern.Length)
                {
                    throw new LuaSchemaException(line, "match: malformed pattern (ends with '%')");
                }
                set.Append(ClassEscape(pattern[i + 1], inSet: true, line));
                i += 2;
            }
            else if (i + 2 < pattern.Length && pattern[i + 1] == '-' && pattern[i + 2] != ']')
            {
                set.Append(SetLiteral(c)).Append('-').Append(SetLiteral(pattern[i + 2]));
                i += 3;
            }
            else
            {
                set.Append(SetLiteral(c));
                i++;
            }
        }
    }

    private static string SetLiteral(char c) => c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c : c.ToString();

    /// <summary>Lua's <c>%x</c>: a class letter (upper case negates), or the character itself escaped.</summary>
    private static string ClassEscape(char letter, bool inSet, int line)
    {
        var positive = char.ToLowerInvariant(letter) switch
        {
            'a' => "A-Za-z",
            'd' => "0-9",
            'l' => "a-z",
            's' => @" \t\n\r\f\v",
            'u' => "A-Z",
            'w' => "A-Za-z0-9",
            'x' => "A-Fa-f0-9",
            'p' => @"!-/:-@\[-`{-~",
            'c' => @"\x00-\x1F\x7F",
            _ => null,
        };
        if (positive is null || !char.IsAsciiLetter(letter))
        {
            return inSet ? SetLiteral(letter) : Regex.Escape(letter.ToString());
        }
        if (char.IsAsciiLetterLower(letter))
        {
            return inSet ? positive : $"[{positive}]";
        }
        // A negated class inside a set has no bracket form; .NET's subtraction cannot join others.
        return inSet ? throw new LuaSchemaException(line, $"match: '%{letter}' inside a set is not supported") : $"[^{positive}]";
    }
}
