using System.Globalization;
using System.Text;
using Threadline.Query.TraceQL.Ast;

namespace Threadline.Query.TraceQL.Syntax;

/// <summary>
/// Splits TraceQL text into tokens, following Tempo's lexer: attributes are read whole after
/// their scope (a name runs to whitespace or one of <c>{}()=~!&lt;&gt;&amp;|^,</c>, with quoted
/// parts <c>span."a b"</c>); a number directly followed by a unit is a duration; strings are
/// double-quoted with escapes, or back-quoted and raw.
/// </summary>
internal sealed class Lexer
{
    private readonly string _text;
    private int _pos;

    private Lexer(string text) => _text = text;

    /// <summary>Every token of <paramref name="text"/>, ending with <see cref="TokenKind.End"/>.</summary>
    /// <exception cref="TraceQLSyntaxException">A character or literal that is not TraceQL.</exception>
    public static List<Token> Tokenize(string text)
    {
        var lexer = new Lexer(text);
        var tokens = new List<Token>();
        while (true)
        {
            var token = lexer.Next();
            tokens.Add(token);
            if (token.Kind == TokenKind.End) return tokens;
        }
    }

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private bool AtEnd(int ahead = 0) => _pos + ahead >= _text.Length;

    private Token Next()
    {
        while (!AtEnd() && char.IsWhiteSpace(_text[_pos])) _pos++;
        var start = _pos;
        if (AtEnd()) return new Token(TokenKind.End, start, start);

        var c = _text[_pos];
        if (char.IsLetter(c) || c == '_') return Word(start);
        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1)))) return Number(start);
        if (c == '.')
        {
            _pos++;
            return AttributeAfterScope(start, AttributeScope.None, parent: false);
        }
        if (c == '"') return QuotedString(start);
        if (c == '`') return RawString(start);
        return Operator(start);
    }

    private Token Word(int start)
    {
        while (!AtEnd() && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
        var word = _text[start.._pos];

        if (Peek() == '.')
        {
            if (word == "parent")
            {
                _pos++;
                // parent.span.x and parent.resource.x narrow the parent's scope; parent.x is unscoped.
                foreach (var (prefix, scope) in (ReadOnlySpan<(string, AttributeScope)>)[("span.", AttributeScope.Span), ("resource.", AttributeScope.Resource)])
                {
                    if (string.CompareOrdinal(_text, _pos, prefix, 0, prefix.Length) == 0)
                    {
                        _pos += prefix.Length;
                        return AttributeAfterScope(start, scope, parent: true);
                    }
                }
                return AttributeAfterScope(start, AttributeScope.None, parent: true);
            }
            if (Keywords.AttributeScopes.TryGetValue(word, out var attributeScope))
            {
                _pos++;
                return AttributeAfterScope(start, attributeScope, parent: false);
            }
        }

        if (Peek() == ':' && Keywords.ScopedIntrinsics.TryGetValue(word, out var intrinsics))
        {
            _pos++;
            var nameStart = _pos;
            while (!AtEnd() && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
            var name = _text[nameStart.._pos];
            if (!intrinsics.TryGetValue(name, out var scoped))
            {
                var expected = string.Join(", ", intrinsics.Keys.Order(StringComparer.Ordinal).Select(k => word + ":" + k));
                throw SourcePosition.Error(_text, start, "one of " + expected, SourcePosition.Describe(_text, start, Math.Max(_pos, start + word.Length + 1)));
            }
            return new Token(TokenKind.Intrinsic, start, _pos) { Intrinsic = scoped, Text = word + ":" + name };
        }

        if (Keywords.UnscopedIntrinsics.TryGetValue(word, out var intrinsic))
            return new Token(TokenKind.Intrinsic, start, _pos) { Intrinsic = intrinsic, Text = word };
        if (Keywords.Words.TryGetValue(word, out var kind)) return new Token(kind, start, _pos) { Text = word };
        return new Token(TokenKind.Identifier, start, _pos) { Text = word };
    }

    private Token AttributeAfterScope(int start, AttributeScope scope, bool parent)
    {
        var name = new StringBuilder();
        while (!AtEnd())
        {
            var c = _text[_pos];
            if (c == '"')
            {
                ReadQuotedAttributePart(name);
            }
            else if (LiteralText.IsAttributeChar(c))
            {
                name.Append(c);
                _pos++;
            }
            else
            {
                break;
            }
        }
        if (name.Length == 0)
        {
            throw SourcePosition.Error(_text, _pos, "an attribute name after \"" + _text[start.._pos] + "\"", SourcePosition.Describe(_text, _pos, _pos + 1));
        }
        return new Token(TokenKind.Attribute, start, _pos) { Scope = scope, Parent = parent, Text = name.ToString() };
    }

    private void ReadQuotedAttributePart(StringBuilder name)
    {
        var quote = _pos++;
        while (true)
        {
            if (AtEnd()) throw SourcePosition.Error(_text, quote, "a closing \" for this quoted attribute name", "end of query");
            var c = _text[_pos++];
            if (c == '"') return;
            if (c == '\\')
            {
                var escaped = Peek();
                if (escaped is not ('"' or '\\'))
                    throw SourcePosition.Error(_text, _pos - 1, "\\\" or \\\\ (the only escapes in an attribute name)", SourcePosition.Describe(_text, _pos - 1, _pos + 1));
                name.Append(escaped);
                _pos++;
                continue;
            }
            name.Append(c);
        }
    }

    private Token Number(int start)
    {
        var isFloat = false;
        while (char.IsAsciiDigit(Peek())) _pos++;
        if (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
        {
            isFloat = true;
            _pos++;
            while (char.IsAsciiDigit(Peek())) _pos++;
        }
        if (Peek() is 'e' or 'E' && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '+' or '-' && char.IsAsciiDigit(Peek(2)))))
        {
            isFloat = true;
            _pos += 2;
            while (char.IsAsciiDigit(Peek())) _pos++;
        }

        if (IsDurationUnitStart(Peek()) && TryDuration(start, out var duration)) return duration;

        var text = _text[start.._pos];
        if (!isFloat)
        {
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var integer))
                return new Token(TokenKind.Integer, start, _pos) { Integer = integer, Text = text };
            throw SourcePosition.Error(_text, start, $"an integer between {long.MinValue} and {long.MaxValue}", SourcePosition.Describe(_text, start, _pos));
        }
        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
            throw SourcePosition.Error(_text, start, "a finite number", SourcePosition.Describe(_text, start, _pos));
        return new Token(TokenKind.Float, start, _pos) { Float = value, Text = text };
    }

    private static bool IsDurationUnitStart(char c) => c is 'n' or 'u' or 'µ' or 'μ' or 'm' or 's' or 'h' or 'd' or 'w' or 'y';

    /// <summary>
    /// Reads a duration such as <c>100ms</c>, <c>1.5s</c> or <c>1h30m</c> (units ns, us/µs, ms, s,
    /// m, h, d, w, y) from <paramref name="start"/>; leaves the position unchanged when the run of
    /// characters is not one.
    /// </summary>
    private bool TryDuration(int start, out Token token)
    {
        var end = start;
        while (end < _text.Length && (char.IsAsciiDigit(_text[end]) || _text[end] == '.' || IsDurationUnitStart(_text[end]))) end++;
        // A unit glued to further letters (10mx, 5seconds) is not a duration.
        if (end < _text.Length && (char.IsLetter(_text[end]) || _text[end] == '_'))
        {
            token = default;
            return false;
        }
        if (!DurationText.TryParse(_text.AsSpan(start, end - start), out var nanos, out var overflow))
        {
            if (overflow)
                throw SourcePosition.Error(_text, start, "a duration below 292 years", SourcePosition.Describe(_text, start, end));
            token = default;
            return false;
        }
        _pos = end;
        token = new Token(TokenKind.Duration, start, end) { DurationNanos = nanos, Text = _text[start..end] };
        return true;
    }

    private Token QuotedString(int start)
    {
        _pos++;
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd() || _text[_pos] == '\n')
                throw SourcePosition.Error(_text, start, "a closing \" for this string", AtEnd() ? "end of query" : "end of line");
            var c = _text[_pos++];
            if (c == '"') break;
            if (c != '\\')
            {
                value.Append(c);
                continue;
            }
            ReadEscape(value);
        }
        return new Token(TokenKind.String, start, _pos) { Text = value.ToString() };
    }

    private void ReadEscape(StringBuilder value)
    {
        var escapeStart = _pos - 1;
        if (AtEnd()) throw SourcePosition.Error(_text, escapeStart, "an escape sequence", "end of query");
        var c = _text[_pos++];
        switch (c)
        {
            case 'a': value.Append('\a'); return;
            case 'b': value.Append('\b'); return;
            case 'f': value.Append('\f'); return;
            case 'n': value.Append('\n'); return;
            case 'r': value.Append('\r'); return;
            case 't': value.Append('\t'); return;
            case 'v': value.Append('\v'); return;
            case '\\': value.Append('\\'); return;
            case '"': value.Append('"'); return;
            case 'x': AppendCodePoint(value, ReadHex(2, escapeStart), escapeStart); return;
            case 'u': AppendCodePoint(value, ReadHex(4, escapeStart), escapeStart); return;
            case 'U': AppendCodePoint(value, ReadHex(8, escapeStart), escapeStart); return;
            case >= '0' and <= '7':
                var octal = c - '0';
                for (var i = 0; i < 2; i++)
                {
                    if (Peek() is < '0' or > '7')
                        throw SourcePosition.Error(_text, escapeStart, "three octal digits after \\", SourcePosition.Describe(_text, escapeStart, _pos + 1));
                    octal = (octal * 8) + (_text[_pos++] - '0');
                }
                if (octal > 255) throw SourcePosition.Error(_text, escapeStart, "an octal escape up to \\377", SourcePosition.Describe(_text, escapeStart, _pos));
                value.Append((char)octal);
                return;
            default:
                throw SourcePosition.Error(_text, escapeStart, "an escape (\\n \\t \\\" \\\\ \\xHH \\uHHHH …)", SourcePosition.Describe(_text, escapeStart, _pos));
        }
    }

    private int ReadHex(int digits, int escapeStart)
    {
        var value = 0;
        for (var i = 0; i < digits; i++)
        {
            var c = Peek();
            if (!char.IsAsciiHexDigit(c))
                throw SourcePosition.Error(_text, escapeStart, $"{digits} hexadecimal digits in this escape", SourcePosition.Describe(_text, escapeStart, _pos + 1));
            value = (value * 16) + Convert.ToInt32(c.ToString(), 16);
            _pos++;
        }
        return value;
    }

    private void AppendCodePoint(StringBuilder value, int codePoint, int escapeStart)
    {
        if (codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            throw SourcePosition.Error(_text, escapeStart, "a valid Unicode code point", SourcePosition.Describe(_text, escapeStart, _pos));
        value.Append(char.ConvertFromUtf32(codePoint));
    }

    private Token RawString(int start)
    {
        var close = _text.IndexOf('`', start + 1);
        if (close < 0) throw SourcePosition.Error(_text, start, "a closing ` for this string", "end of query");
        _pos = close + 1;
        return new Token(TokenKind.String, start, _pos) { Text = _text[(start + 1)..close] };
    }

    private Token Operator(int start)
    {
        var (kind, length) = (_text[_pos], Peek(1), Peek(2)) switch
        {
            ('{', _, _) => (TokenKind.OpenBrace, 1),
            ('}', _, _) => (TokenKind.CloseBrace, 1),
            ('(', _, _) => (TokenKind.OpenParen, 1),
            (')', _, _) => (TokenKind.CloseParen, 1),
            (',', _, _) => (TokenKind.Comma, 1),
            ('=', '~', _) => (TokenKind.Regex, 2),
            ('=', _, _) => (TokenKind.Equal, 1),
            ('!', '=', _) => (TokenKind.NotEqual, 2),
            ('!', '~', _) => (TokenKind.NotRegex, 2),
            ('!', '>', '>') => (TokenKind.NotDescendant, 3),
            ('!', '>', _) => (TokenKind.NotChild, 2),
            ('!', '<', '<') => (TokenKind.NotAncestor, 3),
            ('!', '<', _) => (TokenKind.NotParent, 2),
            ('!', _, _) => (TokenKind.Not, 1),
            ('>', '>', _) => (TokenKind.Descendant, 2),
            ('>', '=', _) => (TokenKind.GreaterOrEqual, 2),
            ('>', _, _) => (TokenKind.Greater, 1),
            ('<', '<', _) => (TokenKind.Ancestor, 2),
            ('<', '=', _) => (TokenKind.LessOrEqual, 2),
            ('<', _, _) => (TokenKind.Less, 1),
            ('&', '&', _) => (TokenKind.And, 2),
            ('&', '>', '>') => (TokenKind.UnionDescendant, 3),
            ('&', '>', _) => (TokenKind.UnionChild, 2),
            ('&', '<', '<') => (TokenKind.UnionAncestor, 3),
            ('&', '<', _) => (TokenKind.UnionParent, 2),
            ('&', '~', _) => (TokenKind.UnionSibling, 2),
            ('|', '|', _) => (TokenKind.Or, 2),
            ('|', _, _) => (TokenKind.Pipe, 1),
            ('~', _, _) => (TokenKind.Tilde, 1),
            ('+', _, _) => (TokenKind.Plus, 1),
            ('-', _, _) => (TokenKind.Minus, 1),
            ('*', _, _) => (TokenKind.Star, 1),
            ('/', _, _) => (TokenKind.Slash, 1),
            ('%', _, _) => (TokenKind.Percent, 1),
            ('^', _, _) => (TokenKind.Caret, 1),
            _ => (TokenKind.End, 0),
        };
        if (length == 0)
        {
            var found = char.IsSurrogate(_text[_pos]) && !AtEnd(1) ? _text.Substring(_pos, 2) : _text[_pos].ToString();
            var shown = char.IsControl(found[0]) ? $"U+{(int)found[0]:X4}" : "\"" + found + "\"";
            throw SourcePosition.Error(_text, start, "a TraceQL token (one of { } ( ) , an operator, a name, a number or a string)", "the character " + shown);
        }
        _pos += length;
        return new Token(kind, start, _pos) { Text = _text.Substring(start, length) };
    }
}
