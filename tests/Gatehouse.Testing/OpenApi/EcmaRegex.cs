using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Gatehouse.Testing.OpenApi;

/// <summary>
/// The ECMAScript regular expressions of <c>pattern</c> and <c>patternProperties</c>, run by .NET.
/// They are searched for, not anchored, as JSON Schema says.
/// </summary>
internal static class EcmaRegex
{
    // A pathological pattern fails its test instead of hanging it.
    private static readonly TimeSpan s_matchTimeout = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<string, Regex> s_compiled = new(StringComparer.Ordinal);

    public static bool IsMatch(string pattern, string value) => s_compiled.GetOrAdd(pattern, Compile).IsMatch(value);

    // RegexOptions.ECMAScript gives ECMAScript's ASCII-only \d and \w and its identity escapes such
    // as \_ (which the default engine refuses; the Labels pattern in the Konnect spec has one). It
    // accepted every pattern tried, but should it refuse one, the default engine gets a go.
    private static Regex Compile(string pattern)
    {
        var translated = EndOfInputDollars(pattern);
        try
        {
            return new Regex(translated, RegexOptions.ECMAScript, s_matchTimeout);
        }
        catch (ArgumentException)
        {
            return new Regex(translated, RegexOptions.None, s_matchTimeout);
        }
    }

    // In ECMAScript (without the m flag) `$` matches only at the very end; in .NET it also matches
    // before a final "\n", so that "abc\n" would pass "^abc$".
    private static string EndOfInputDollars(string pattern)
    {
        var result = new StringBuilder(pattern.Length + 4);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                result.Append(c).Append(pattern[++i]);
                continue;
            }
            if (c == '[')
            {
                inClass = true;
            }
            else if (c == ']')
            {
                inClass = false;
            }
            else if (c == '$' && !inClass)
            {
                result.Append(@"\z");
                continue;
            }
            result.Append(c);
        }
        return result.ToString();
    }
}
