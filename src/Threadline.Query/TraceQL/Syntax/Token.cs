using Threadline.Query.TraceQL.Ast;

namespace Threadline.Query.TraceQL.Syntax;

/// <summary>
/// One token: its kind, where it starts and ends (character offsets into the query), and its
/// value for literals, attributes and intrinsics.
/// </summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End)
{
    public string Text { get; init; } = string.Empty;
    public long Integer { get; init; }
    public double Float { get; init; }
    public ulong DurationNanos { get; init; }
    public AttributeScope Scope { get; init; }
    public bool Parent { get; init; }
    public Intrinsic Intrinsic { get; init; }
}
