using System.Globalization;

namespace Gatehouse.Core.Entities.Schemas.CustomPlugins;

/// <summary>
/// Reads the declarative subset of Lua that Kong's plugin <c>schema.lua</c> files are written in,
/// and evaluates nothing: a chunk of <c>local</c> declarations (strings, numbers, booleans,
/// tables, <c>require "kong.db.schema.typedefs"</c>) and one <c>return</c> of a value. Values are
/// literals, table constructors, locals, <c>typedefs.name</c> with an optional table of
/// overrides, constant arithmetic and <c>..</c> on literals, and indexing a local table by a
/// constant. Functions, other calls, assignments, loops and conditionals are refused with the line.
/// </summary>
public sealed class LuaSchemaParser
{
    /// <summary>Deeper tables or expressions are refused: real schemas nest a dozen levels at most, and this bounds the recursion.</summary>
    public const int MaxDepth = 32;

    /// <summary>The longest text read: the largest schema.lua bundled with Kong 3.9 is under 40 KB.</summary>
    public const int MaxLength = 131072;

    /// <summary>The most values a schema may hold, locals counted each time they are used.</summary>
    public const long MaxValues = 100_000;

    private const string TypedefsModule = "kong.db.schema.typedefs";

    private readonly LuaLexer _lexer;
    private readonly Dictionary<string, LuaValue> _locals = new(StringComparer.Ordinal);
    private LuaToken _token;
    private int _depth;

    private LuaSchemaParser(string text)
    {
        _lexer = new LuaLexer(text);
        _token = _lexer.Next();
    }

    /// <summary>The value the chunk returns; a <see cref="LuaSchemaException"/> for anything outside the subset.</summary>
    public static LuaValue Parse(string text)
    {
        if (text.Length > MaxLength)
        {
            throw new LuaSchemaException(1, $"the schema is longer than {MaxLength} characters");
        }
        return new LuaSchemaParser(text).Chunk();
    }

    private LuaValue Chunk()
    {
        while (true)
        {
            var token = _token;
            if (token.IsSymbol(";"))
            {
                Advance();
                continue;
            }
            if (token.IsKeyword("return"))
            {
                Advance();
                var value = Expression();
                if (_token.IsSymbol(";"))
                {
                    Advance();
                }
                if (_token.Kind != LuaTokenKind.End)
                {
                    throw new LuaSchemaException(_token.Line, $"nothing may follow the returned value ({_token.Describe()} found)");
                }
                return value;
            }
            if (token.IsKeyword("local"))
            {
                Advance();
                Local();
                continue;
            }
            throw new LuaSchemaException(token.Line, Unsupported(token));
        }
    }

    private void Local()
    {
        if (_token.IsKeyword("function"))
        {
            throw new LuaSchemaException(_token.Line, "function definitions are not supported");
        }
        var name = ExpectName();
        if (_token.IsSymbol("<"))
        {
            // Lua 5.4's attributes (<const>): not LuaJIT's language.
            throw new LuaSchemaException(_token.Line, "local attributes are not supported");
        }
        if (_token.IsSymbol(","))
        {
            throw new LuaSchemaException(_token.Line, "declaring several locals at once is not supported");
        }
        if (!_token.IsSymbol("="))
        {
            _locals[name] = new LuaNil(_token.Line);
            return;
        }
        Advance();
        _locals[name] = Expression();
        if (_token.IsSymbol(","))
        {
            throw new LuaSchemaException(_token.Line, "assigning several values at once is not supported");
        }
    }

    /// <summary>Why a statement that starts with <paramref name="token"/> is outside the subset.</summary>
    private static string Unsupported(LuaToken token) => token.Kind switch
    {
        LuaTokenKind.Keyword => token.Text switch
        {
            "function" => "function definitions are not supported",
            "for" or "while" or "repeat" => "loops are not supported",
            "if" => "if statements are not supported",
            "do" => "do blocks are not supported",
            "goto" or "break" => $"'{token.Text}' is not supported",
            _ => $"unexpected {token.Describe()}",
        },
        LuaTokenKind.Name => "assignments and function calls are not supported: only local declarations and one return",
        LuaTokenKind.End => "the schema must return a table ('return { ... }')",
        _ => $"unexpected {token.Describe()}",
    };

    // Lua's binary operator priorities (left, right): lparser.c's priority table.
    private static (int Left, int Right)? Priority(LuaToken token) => token.Kind switch
    {
        LuaTokenKind.Symbol => token.Text switch
        {
            "+" or "-" => (6, 6),
            "*" or "/" or "%" => (7, 7),
            "^" => (10, 9),
            ".." => (5, 4),
            "==" or "~=" or "<" or "<=" or ">" or ">=" => (3, 3),
            _ => null,
        },
        LuaTokenKind.Keyword when token.Text is "and" => (2, 2),
        LuaTokenKind.Keyword when token.Text is "or" => (1, 1),
        _ => null,
    };

    private const int UnaryPriority = 8;

    private LuaValue Expression(int limit = 0)
    {
        Enter();
        LuaValue left;
        if (_token.IsSymbol("-"))
        {
            var line = _token.Line;
            Advance();
            left = Negate(Expression(UnaryPriority), line);
        }
        else if (_token.IsKeyword("not") || _token.IsSymbol("#") || _token.IsSymbol("~"))
        {
            throw new LuaSchemaException(_token.Line, $"the operator {_token.Describe()} is not supported");
        }
        else
        {
            left = Suffixed();
        }
        while (Priority(_token) is { } priority && priority.Left > limit)
        {
            var op = _token;
            Advance();
            var right = Expression(priority.Right);
            left = Fold(op, left, right);
        }
        _depth--;
        return left;
    }

    private static LuaValue Negate(LuaValue value, int line) => value is LuaNumber number
        ? new LuaNumber(-number.Value, line)
        : throw new LuaSchemaException(line, "'-' applies to numbers only");

    /// <summary>Constant folding of arithmetic and concatenation on literals; no other operator is in the subset.</summary>
    private static LuaValue Fold(LuaToken op, LuaValue left, LuaValue right)
    {
        if (op.Text == "..")
        {
            return new LuaString(Concatenable(left, op) + Concatenable(right, op), op.Line);
        }
        if (left is not LuaNumber a || right is not LuaNumber b)
        {
            throw new LuaSchemaException(op.Line, op.Kind == LuaTokenKind.Keyword || Priority(op)?.Left == 3
                ? $"the operator '{op.Text}' is not supported"
                : $"'{op.Text}' applies to numbers only");
        }
        var result = op.Text switch
        {
            "+" => a.Value + b.Value,
            "-" => a.Value - b.Value,
            "*" => a.Value * b.Value,
            "/" => a.Value / b.Value,
            "%" => a.Value - (Math.Floor(a.Value / b.Value) * b.Value),
            "^" => Math.Pow(a.Value, b.Value),
            _ => throw new LuaSchemaException(op.Line, $"the operator '{op.Text}' is not supported"),
        };
        return double.IsFinite(result) ? new LuaNumber(result, op.Line) : throw new LuaSchemaException(op.Line, "the arithmetic gives no finite number");
    }

    private static string Concatenable(LuaValue value, LuaToken op) => value switch
    {
        LuaString s => s.Value,
        LuaNumber n => n.Value.ToString("R", CultureInfo.InvariantCulture),
        _ => throw new LuaSchemaException(op.Line, "'..' applies to strings and numbers only"),
    };

    /// <summary>A primary value and what follows it: <c>.name</c>, <c>[key]</c>, and the only calls in the subset.</summary>
    private LuaValue Suffixed()
    {
        var value = Primary();
        while (true)
        {
            var token = _token;
            if (token.IsSymbol("."))
            {
                Advance();
                var member = ExpectName();
                value = value switch
                {
                    LuaTypedefsModule => new LuaTypedef(member, null, token.Line),
                    LuaTable table => table[member] ?? throw new LuaSchemaException(token.Line, $"the table has no field '{member}'"),
                    _ => throw new LuaSchemaException(token.Line, $"cannot read '.{member}' of this value"),
                };
            }
            else if (token.IsSymbol("["))
            {
                Advance();
                var key = Expression();
                Expect("]");
                value = Index(value, key, token.Line);
            }
            else if (token.IsSymbol("(") || token.IsSymbol("{") || token.Kind == LuaTokenKind.String)
            {
                value = Call(value, token);
            }
            else if (token.IsSymbol(":"))
            {
                throw new LuaSchemaException(token.Line, "method calls are not supported");
            }
            else
            {
                return value;
            }
        }
    }

    private static LuaValue Index(LuaValue value, LuaValue key, int line)
    {
        if (value is not LuaTable table)
        {
            throw new LuaSchemaException(line, "only tables can be indexed");
        }
        return key switch
        {
            LuaString name => table[name.Value] ?? throw new LuaSchemaException(line, $"the table has no field '{name.Value}'"),
            LuaNumber { Value: var n } when n == Math.Floor(n) && n >= 1 && n <= table.Items.Count => table.Items[(int)n - 1],
            _ => throw new LuaSchemaException(line, "the index is not a field of the table"),
        };
    }

    /// <summary>
    /// <c>require "kong.db.schema.typedefs"</c> and <c>typedefs.name { overrides }</c> are read, not
    /// run; any other call is refused.
    /// </summary>
    private LuaValue Call(LuaValue callee, LuaToken token)
    {
        var arguments = Arguments();
        switch (callee)
        {
            case LuaRequire when arguments is [LuaString { Value: TypedefsModule }]:
                return new LuaTypedefsModule(token.Line);
            case LuaRequire when arguments is [LuaString module]:
                throw new LuaSchemaException(token.Line, $"require \"{module.Value}\" is not supported: only \"{TypedefsModule}\" may be required");
            case LuaTypedef { Overrides: null } typedef when arguments is [LuaTable overrides]:
                return typedef with { Overrides = overrides };
            case LuaTypedef typedef:
                throw new LuaSchemaException(token.Line, $"typedefs.{typedef.Name} takes one table of attributes");
            default:
                throw new LuaSchemaException(token.Line,
                    $"function calls are not supported: only require \"{TypedefsModule}\" and typedefs.<name> {{ ... }}");
        }
    }

    private List<LuaValue> Arguments()
    {
        if (_token.Kind == LuaTokenKind.String)
        {
            var text = _token;
            Advance();
            return [new LuaString(text.Text, text.Line)];
        }
        if (_token.IsSymbol("{"))
        {
            return [Table()];
        }
        Expect("(");
        var arguments = new List<LuaValue>();
        if (!_token.IsSymbol(")"))
        {
            arguments.Add(Expression());
            while (_token.IsSymbol(","))
            {
                Advance();
                arguments.Add(Expression());
            }
        }
        Expect(")");
        return arguments;
    }

    private LuaValue Primary()
    {
        var token = _token;
        switch (token.Kind)
        {
            case LuaTokenKind.String:
                Advance();
                return new LuaString(token.Text, token.Line);
            case LuaTokenKind.Number:
                Advance();
                return new LuaNumber(token.Number, token.Line);
            case LuaTokenKind.Keyword when token.Text is "true" or "false":
                Advance();
                return new LuaBoolean(token.Text == "true", token.Line);
            case LuaTokenKind.Keyword when token.Text is "nil":
                Advance();
                return new LuaNil(token.Line);
            case LuaTokenKind.Keyword when token.Text is "function":
                throw new LuaSchemaException(token.Line, "function definitions are not supported");
            case LuaTokenKind.Symbol when token.Text is "{":
                return Table();
            case LuaTokenKind.Symbol when token.Text is "(":
                Advance();
                var inner = Expression();
                Expect(")");
                return inner;
            case LuaTokenKind.Symbol when token.Text is "...":
                throw new LuaSchemaException(token.Line, "'...' is not supported");
            case LuaTokenKind.Name:
                Advance();
                if (_locals.TryGetValue(token.Text, out var local))
                {
                    return local;
                }
                if (token.Text == "require")
                {
                    return new LuaRequire(token.Line);
                }
                throw new LuaSchemaException(token.Line, $"unknown name '{token.Text}': only locals declared above may be used");
            default:
                throw new LuaSchemaException(token.Line, $"unexpected {token.Describe()}");
        }
    }

    private LuaTable Table()
    {
        var line = _token.Line;
        Expect("{");
        var items = new List<LuaValue>();
        var fields = new List<KeyValuePair<string, LuaValue>>();
        while (!_token.IsSymbol("}"))
        {
            var token = _token;
            string? key = null;
            if (token.Kind == LuaTokenKind.Name && Peek().IsSymbol("="))
            {
                key = token.Text;
                Advance();
                Advance();
            }
            else if (token.IsSymbol("["))
            {
                Advance();
                var keyValue = Expression();
                Expect("]");
                Expect("=");
                key = keyValue is LuaString s ? s.Value : throw new LuaSchemaException(token.Line, "only string keys may be written in brackets");
            }
            var value = Expression();
            if (key is null)
            {
                items.Add(value);
            }
            else if (fields.Any(f => f.Key == key))
            {
                throw new LuaSchemaException(token.Line, $"the field '{key}' is given twice");
            }
            else if (value is not LuaNil)
            {
                fields.Add(KeyValuePair.Create(key, value));
            }
            if (_token.IsSymbol(",") || _token.IsSymbol(";"))
            {
                Advance();
            }
            else if (!_token.IsSymbol("}"))
            {
                throw new LuaSchemaException(_token.Line, $"'}}' expected (to close '{{' at line {line}) near {_token.Describe()}");
            }
        }
        Advance();
        return Measured(new LuaTable(items, fields, line));
    }

    /// <summary>
    /// Refuses a table too deep or too large to read: braces are bounded by the parser's own depth,
    /// but a table built from locals (<c>local b = { a, a }</c>) can stack and double without them.
    /// </summary>
    private static LuaTable Measured(LuaTable table)
    {
        var children = table.Items.Concat(table.Fields.Select(f => f.Value)).Select(v => v switch
        {
            LuaTable t => t,
            LuaTypedef { Overrides: { } overrides } => overrides,
            _ => null,
        }).OfType<LuaTable>().ToList();
        var depth = 1 + (children.Count == 0 ? 0 : children.Max(c => c.Depth));
        var size = 1 + table.Items.Count + table.Fields.Count + children.Sum(c => c.Size);
        if (depth > MaxDepth)
        {
            throw new LuaSchemaException(table.Line, $"nesting deeper than {MaxDepth} levels is not supported");
        }
        if (size > MaxValues)
        {
            throw new LuaSchemaException(table.Line, $"the schema holds more than {MaxValues} values");
        }
        return table with { Depth = depth, Size = size };
    }

    private void Enter()
    {
        // Parentheses and unary minus nest expressions without tables: allowed twice the table depth.
        if (++_depth > 2 * MaxDepth)
        {
            throw new LuaSchemaException(_token.Line, $"nesting deeper than {MaxDepth} levels is not supported");
        }
    }

    // One token of lookahead beyond the current, for "name =" in a table constructor.
    private LuaToken? _peeked;

    private LuaToken Peek() => _peeked ??= _lexer.Next();

    private void Advance()
    {
        if (_peeked is { } peeked)
        {
            _token = peeked;
            _peeked = null;
        }
        else
        {
            _token = _lexer.Next();
        }
    }

    private void Expect(string symbol)
    {
        if (!_token.IsSymbol(symbol))
        {
            throw new LuaSchemaException(_token.Line, $"'{symbol}' expected near {_token.Describe()}");
        }
        Advance();
    }

    private string ExpectName()
    {
        if (_token.Kind != LuaTokenKind.Name)
        {
            throw new LuaSchemaException(_token.Line, $"a name expected near {_token.Describe()}");
        }
        var name = _token.Text;
        Advance();
        return name;
    }

    /// <summary>The global <c>require</c>, before it is called.</summary>
    private sealed record LuaRequire(int Line) : LuaValue(Line);
}
