using System.Globalization;
using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Policies.Conditions;

/// <summary>
/// The comparison subset of OTTL boolean conditions: <c>path op literal</c> terms joined by
/// <c>and</c> / <c>or</c> (and binding tighter), where path is <c>name</c>,
/// <c>attributes["k"]</c>, <c>resource.attributes["k"]</c>, <c>kind</c> or <c>status.code</c>;
/// op is one of <c>== != &lt; &lt;= &gt; &gt;=</c>; literal is a quoted string, a number,
/// <c>true</c>, <c>false</c> or <c>nil</c>. A missing attribute equals <c>nil</c> only.
/// </summary>
public sealed class OttlCondition
{
    private readonly List<List<Term>> _anyOf;

    private OttlCondition(List<List<Term>> anyOf) => _anyOf = anyOf;

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">Not in the subset; the message names the character offset.</exception>
    public static OttlCondition Parse(string text) => new Reader(text).Condition();

    /// <summary>Whether the condition holds for an item (a span or a span event) named <paramref name="name"/> with <paramref name="attributes"/>, in <paramref name="span"/>.</summary>
    public bool Matches(string name, KeyValue[] attributes, Span span)
    {
        foreach (var all in _anyOf)
        {
            var holds = true;
            foreach (var term in all)
            {
                if (!term.Holds(name, attributes, span))
                {
                    holds = false;
                    break;
                }
            }
            if (holds) return true;
        }
        return false;
    }

    private enum PathKind { Name, Attribute, ResourceAttribute, Kind, StatusCode }

    private sealed record Term(PathKind Path, string Key, string Op, object? Literal)
    {
        public bool Holds(string name, KeyValue[] attributes, Span span)
        {
            object? value = Path switch
            {
                PathKind.Name => name,
                PathKind.Kind => KindName(span.Kind),
                PathKind.StatusCode => StatusName(span.Status.Code),
                PathKind.Attribute => Find(attributes, Key),
                _ => Find(span.Resource.Attributes, Key),
            };
            if (Literal is null || value is null) return Op == "==" ? Literal is null && value is null : Op == "!=" && (Literal is null) != (value is null);
            int? order = (value, Literal) switch
            {
                (string a, string b) => string.CompareOrdinal(a, b),
                (long a, long b) => a.CompareTo(b),
                (long a, double b) => ((double)a).CompareTo(b),
                (double a, long b) => a.CompareTo((double)b),
                (double a, double b) => a.CompareTo(b),
                (bool a, bool b) => a == b ? 0 : null,
                _ => null,
            };
            return Op switch
            {
                "==" => order == 0,
                "!=" => order != 0,
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                _ => order >= 0,
            };
        }

        private static object? Find(KeyValue[] attributes, string key)
        {
            foreach (var attribute in attributes)
            {
                if (attribute.Key != key) continue;
                var value = attribute.Value;
                return value.Type switch
                {
                    AttributeType.String => value.AsString(),
                    AttributeType.Int => value.AsInt(),
                    AttributeType.Double => value.AsDouble(),
                    AttributeType.Bool => value.AsBool(),
                    _ => value.ToString(),
                };
            }
            return null;
        }

        private static string KindName(SpanKind kind) => "SPAN_KIND_" + kind.ToString().ToUpperInvariant();

        private static string StatusName(StatusCode code) => "STATUS_CODE_" + code.ToString().ToUpperInvariant();
    }

    private sealed class Reader(string text)
    {
        private int _at;

        public OttlCondition Condition()
        {
            var anyOf = new List<List<Term>> { new() { Term() } };
            while (true)
            {
                SkipSpaces();
                if (_at >= text.Length) return new OttlCondition(anyOf);
                if (Word("and")) anyOf[^1].Add(Term());
                else if (Word("or")) anyOf.Add([Term()]);
                else throw Error("'and', 'or' or the end of the condition");
            }
        }

        private Term Term()
        {
            SkipSpaces();
            var (path, key) = Path();
            SkipSpaces();
            var op = Operator();
            SkipSpaces();
            var literal = Literal();
            return new Term(path, key, op, literal);
        }

        private (PathKind, string) Path()
        {
            if (Word("resource.attributes")) return (PathKind.ResourceAttribute, Index());
            if (Word("attributes")) return (PathKind.Attribute, Index());
            if (Word("status.code")) return (PathKind.StatusCode, "");
            if (Word("name")) return (PathKind.Name, "");
            if (Word("kind")) return (PathKind.Kind, "");
            throw Error("a path (name, kind, status.code, attributes[\"key\"] or resource.attributes[\"key\"])");
        }

        private string Index()
        {
            if (!Take("[")) throw Error("'['");
            SkipSpaces();
            var key = Quoted();
            SkipSpaces();
            if (!Take("]")) throw Error("']'");
            return key;
        }

        private string Operator()
        {
            foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
            {
                if (Take(op)) return op;
            }
            throw Error("a comparison (==, !=, <, <=, >, >=)");
        }

        private object? Literal()
        {
            if (_at < text.Length && text[_at] == '"') return Quoted();
            if (Word("true")) return true;
            if (Word("false")) return false;
            if (Word("nil")) return null;
            if (_at < text.Length && char.IsAsciiLetterUpper(text[_at]))
            {
                // An enum name such as SPAN_KIND_SERVER or STATUS_CODE_ERROR.
                var start = _at;
                while (_at < text.Length && (char.IsAsciiLetterUpper(text[_at]) || text[_at] == '_')) _at++;
                return text[start.._at];
            }
            var begin = _at;
            while (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] is '-' or '+' or '.' or 'e' or 'E')) _at++;
            var number = text[begin.._at];
            if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return integer;
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)) return real;
            _at = begin;
            throw Error("a literal (a quoted string, a number, true, false, nil, SPAN_KIND_… or STATUS_CODE_…)");
        }

        private string Quoted()
        {
            if (!Take("\"")) throw Error("a quoted string");
            var value = new System.Text.StringBuilder();
            while (_at < text.Length && text[_at] != '"')
            {
                if (text[_at] == '\\' && _at + 1 < text.Length) _at++;
                value.Append(text[_at++]);
            }
            if (!Take("\"")) throw Error("the closing '\"'");
            return value.ToString();
        }

        private bool Word(string word)
        {
            if (string.CompareOrdinal(text, _at, word, 0, word.Length) != 0) return false;
            var end = _at + word.Length;
            if (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_')) return false;
            _at = end;
            return true;
        }

        private bool Take(string token)
        {
            if (string.CompareOrdinal(text, _at, token, 0, token.Length) != 0) return false;
            _at += token.Length;
            return true;
        }

        private void SkipSpaces()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        private FormatException Error(string expected)
        {
            var found = _at >= text.Length ? "the end" : $"'{text[_at..Math.Min(text.Length, _at + 12)]}'";
            return new FormatException($"OTTL condition at character {_at + 1}: expected {expected}, found {found}. Threadline reads OTTL comparisons only (path op literal, joined by and/or).");
        }
    }
}
