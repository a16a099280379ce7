using System.Globalization;
using System.Text;

namespace Gatehouse.Core.Entities.Schemas.CustomPlugins;

public enum LuaTokenKind
{
    Name,
    Keyword,
    String,
    Number,
    Symbol,
    End,
}

public readonly record struct LuaToken(LuaTokenKind Kind, string Text, double Number, int Line)
{
    public bool Is(LuaTokenKind kind, string text) => Kind == kind && Text == text;

    public bool IsSymbol(string text) => Is(LuaTokenKind.Symbol, text);

    public bool IsKeyword(string text) => Is(LuaTokenKind.Keyword, text);

    /// <summary>How the token reads in a message.</summary>
    public string Describe() => Kind switch
    {
        LuaTokenKind.End => "the end of the text",
        LuaTokenKind.String => "a string",
        LuaTokenKind.Number => "a number",
        _ => $"'{Text}'",
    };
}

/// <summary>
/// Lua 5.1's lexical grammar (the language of LuaJIT, which Kong runs): names, keywords, short
/// and long strings with their escapes, decimal and hex numbers, comments and the symbols.
/// It reads text only; anything malformed is a <see cref="LuaSchemaException"/> naming its line.
/// </summary>
public sealed class LuaLexer(string text)
{
    private static readonly HashSet<string> s_keywords =
    [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ];

    // Longest first, so "..." is read before ".." and ".".
    private static readonly string[] s_symbols =
    [
        "...", "..", "==", "~=", "<=", ">=", "::", "//", "<<", ">>",
        "+", "-", "*", "/", "%", "^", "#", "&", "~", "|", "<", ">", "=", "(", ")", "{", "}", "[", "]", ";", ":", ",", ".",
    ];

    private int _position;
    private int _line = 1;

    public LuaToken Next()
    {
        SkipSpaceAndComments();
        if (_position >= text.Length)
        {
            return new LuaToken(LuaTokenKind.End, "", 0, _line);
        }
        var c = text[_position];
        if (char.IsAsciiLetter(c) || c == '_')
        {
            var start = _position;
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }
            var name = text[start.._position];
            return new LuaToken(s_keywords.Contains(name) ? LuaTokenKind.Keyword : LuaTokenKind.Name, name, 0, _line);
        }
        if (char.IsAsciiDigit(c) || (c == '.' && _position + 1 < text.Length && char.IsAsciiDigit(text[_position + 1])))
        {
            return ReadNumber();
        }
        if (c is '"' or '\'')
        {
            return ReadShortString(c);
        }
        if (c == '[' && LongBracketLevel() is { } level)
        {
            var line = _line;
            return new LuaToken(LuaTokenKind.String, ReadLongBracket(level), 0, line);
        }
        foreach (var symbol in s_symbols)
        {
            if (string.CompareOrdinal(text, _position, symbol, 0, symbol.Length) == 0)
            {
                _position += symbol.Length;
                return new LuaToken(LuaTokenKind.Symbol, symbol, 0, _line);
            }
        }
        throw new LuaSchemaException(_line, $"unexpected character '{(char.IsControl(c) ? $"\\{(int)c}" : c.ToString())}'");
    }

    private void SkipSpaceAndComments()
    {
        while (_position < text.Length)
        {
            var c = text[_position];
            if (c == '\n')
            {
                _line++;
                _position++;
            }
            else if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if (c == '-' && _position + 1 < text.Length && text[_position + 1] == '-')
            {
                _position += 2;
                if (_position < text.Length && text[_position] == '[' && LongBracketLevel() is { } level)
                {
                    ReadLongBracket(level);
                    continue;
                }
                while (_position < text.Length && text[_position] != '\n')
                {
                    _position++;
                }
            }
            else if (c == '#' && _position == 0 && text.Length > 1 && text[1] == '!')
            {
                // A shebang line, which Lua skips.
                while (_position < text.Length && text[_position] != '\n')
                {
                    _position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>The level of a long bracket opening at the position (<c>[[</c> is 0, <c>[==[</c> is 2), or null.</summary>
    private int? LongBracketLevel()
    {
        var i = _position + 1;
        while (i < text.Length && text[i] == '=')
        {
            i++;
        }
        return i < text.Length && text[i] == '[' ? i - _position - 1 : null;
    }

    private string ReadLongBracket(int level)
    {
        var startLine = _line;
        _position += level + 2;
        // A newline right after the opening bracket is not part of the string.
        if (_position < text.Length && text[_position] == '\r')
        {
            _position++;
        }
        if (_position < text.Length && text[_position] == '\n')
        {
            _line++;
            _position++;
        }
        var close = "]" + new string('=', level) + "]";
        var end = text.IndexOf(close, _position, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new LuaSchemaException(startLine, "unfinished long string or comment");
        }
        var content = text[_position..end];
        _line += content.Count(ch => ch == '\n');
        _position = end + close.Length;
        return content;
    }

    private LuaToken ReadShortString(char quote)
    {
        var line = _line;
        _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (_position >= text.Length || text[_position] == '\n')
            {
                throw new LuaSchemaException(line, "unfinished string");
            }
            var c = text[_position++];
            if (c == quote)
            {
                return new LuaToken(LuaTokenKind.String, value.ToString(), 0, line);
            }
            if (c != '\\')
            {
                value.Append(c);
                continue;
            }
            if (_position >= text.Length)
            {
                throw new LuaSchemaException(line, "unfinished string");
            }
            var escape = text[_position++];
            switch (escape)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case 'a': value.Append('\a'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'v': value.Append('\v'); break;
                case '\\' or '"' or '\'': value.Append(escape); break;
                case '\n':
                    _line++;
                    value.Append('\n');
                    break;
                case 'x':
                    if (_position + 2 > text.Length || !byte.TryParse(text.AsSpan(_position, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
                    {
                        throw new LuaSchemaException(_line, "invalid hexadecimal escape in string");
                    }
                    _position += 2;
                    value.Append((char)hex);
                    break;
                case >= '0' and <= '9':
                    var digits = 1;
                    var code = escape - '0';
                    while (digits < 3 && _position < text.Length && char.IsAsciiDigit(text[_position]))
                    {
                        code = (code * 10) + (text[_position++] - '0');
                        digits++;
                    }
                    if (code > 255)
                    {
                        throw new LuaSchemaException(_line, "decimal escape too large in string");
                    }
                    value.Append((char)code);
                    break;
                default:
                    throw new LuaSchemaException(_line, $"invalid escape sequence '\\{escape}' in string");
            }
        }
    }

    private LuaToken ReadNumber()
    {
        var start = _position;
        double value;
        if (text[_position] == '0' && _position + 1 < text.Length && text[_position + 1] is 'x' or 'X')
        {
            _position += 2;
            var digits = _position;
            while (_position < text.Length && char.IsAsciiHexDigit(text[_position]))
            {
                _position++;
            }
            if (_position == digits || _position - digits > 15
                || !long.TryParse(text.AsSpan(digits, _position - digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            {
                throw new LuaSchemaException(_line, $"malformed or too large number '{text[start..Math.Max(_position, start + 2)]}'");
            }
            value = hex;
        }
        else
        {
            while (_position < text.Length && (char.IsAsciiDigit(text[_position]) || text[_position] == '.'))
            {
                _position++;
            }
            if (_position < text.Length && text[_position] is 'e' or 'E')
            {
                _position++;
                if (_position < text.Length && text[_position] is '+' or '-')
                {
                    _position++;
                }
                while (_position < text.Length && char.IsAsciiDigit(text[_position]))
                {
                    _position++;
                }
            }
            var literal = text[start.._position];
            if (!double.TryParse(literal, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
            {
                throw new LuaSchemaException(_line, $"malformed number '{literal}'");
            }
        }
        if (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
        {
            throw new LuaSchemaException(_line, $"malformed number near '{text[start..Math.Min(text.Length, _position + 1)]}'");
        }
        if (!double.IsFinite(value))
        {
            throw new LuaSchemaException(_line, $"number '{text[start.._position]}' is out of range");
        }
        return new LuaToken(LuaTokenKind.Number, text[start.._position], value, _line);
    }
}
