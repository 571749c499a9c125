using System.Text.RegularExpressions;
using Threadline.Core.Model;

namespace Threadline.Storage.Fetch;

/// <summary>
/// One test on a span, pushed down to an engine as a pruning hint: an attribute (or an intrinsic
/// field) in a <see cref="ConditionScope"/>, an operator and a typed operand. Built only through
/// the constructor, which refuses a combination an engine could not evaluate, so engines never
/// see a malformed condition.
/// </summary>
public sealed record Condition
{
    // RE2 semantics (what TraceQL promises) and bounded work: the non-backtracking engine runs
    // in time linear in the input, so a hostile pattern cannot stall a fetch.
    private const RegexOptions RegexFlags = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    /// <param name="scope">Where the attribute is looked for.</param>
    /// <param name="name">The attribute key, or an <see cref="Intrinsics"/> name for <see cref="ConditionScope.Intrinsic"/>.</param>
    /// <param name="op">The comparison; <see cref="ConditionOperator.None"/> only fetches the attribute.</param>
    /// <param name="operand">The typed right-hand side; none for <see cref="ConditionOperator.None"/> and <see cref="ConditionOperator.Exists"/>.</param>
    /// <exception cref="ArgumentException">The combination is not meaningful; the message names what and why.</exception>
    public Condition(ConditionScope scope, string name, ConditionOperator op = ConditionOperator.None, StaticValue? operand = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Scope = scope;
        Name = name;
        Operator = op;
        Operand = operand;

        var needsOperand = op is not (ConditionOperator.None or ConditionOperator.Exists);
        if (needsOperand && operand is null)
            throw new ArgumentException($"Condition on {Describe()}: operator {op} needs an operand.", nameof(operand));
        if (!needsOperand && operand is not null)
            throw new ArgumentException($"Condition on {Describe()}: operator {op} takes no operand, got {operand}.", nameof(operand));

        if (scope == ConditionScope.Intrinsic) CheckIntrinsic(name, op, operand);
        if (operand is { } value) CheckOperator(op, value);

        if (op is ConditionOperator.Regex or ConditionOperator.NotRegex)
        {
            try
            {
                Pattern = new Regex(operand!.Value.AsString(), RegexFlags);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Condition on {Describe()}: {operand} is not a valid regular expression: {e.Message}", nameof(operand), e);
            }
        }
    }

    public ConditionScope Scope { get; }
    public string Name { get; }
    public ConditionOperator Operator { get; }
    public StaticValue? Operand { get; }

    /// <summary>The compiled pattern of a regex condition; null otherwise.</summary>
    public Regex? Pattern { get; }

    /// <summary>True when the condition filters spans; false for a fetch-only (<see cref="ConditionOperator.None"/>) one.</summary>
    public bool Filters => Operator != ConditionOperator.None;

    /// <summary>Shorthand for a fetch-only condition.</summary>
    public static Condition Select(ConditionScope scope, string name) => new(scope, name);

    public override string ToString() => Operand is { } v ? $"{Describe()} {Operator} {v}" : $"{Describe()} {Operator}";

    private string Describe() => Scope == ConditionScope.Any ? "." + Name : Scope.ToString().ToLowerInvariant() + "." + Name;

    private void CheckIntrinsic(string name, ConditionOperator op, StaticValue? operand)
    {
        var wanted = name switch
        {
            Intrinsics.Name or Intrinsics.StatusMessage or Intrinsics.ServiceName => StaticType.String,
            Intrinsics.Duration => StaticType.Duration,
            Intrinsics.Kind => StaticType.Kind,
            Intrinsics.Status => StaticType.Status,
            _ => throw new ArgumentException(
                $"Condition on {Describe()}: unknown intrinsic \"{name}\"; expected one of {string.Join(", ", Intrinsics.All)}.", nameof(name)),
        };
        if (operand is { } value && value.Type != wanted)
            throw new ArgumentException($"Condition on {Describe()}: the operand must be {wanted}, got {value.Type} ({value}).", nameof(operand));
        if (op == ConditionOperator.Exists)
            throw new ArgumentException($"Condition on {Describe()}: every span has intrinsic fields, so Exists is meaningless.", nameof(op));
    }

    private void CheckOperator(ConditionOperator op, StaticValue value)
    {
        var ordered = op is ConditionOperator.Less or ConditionOperator.LessOrEqual or ConditionOperator.Greater or ConditionOperator.GreaterOrEqual;
        if (op is ConditionOperator.Regex or ConditionOperator.NotRegex && value.Type != StaticType.String)
            throw new ArgumentException($"Condition on {Describe()}: {op} needs a string pattern, got {value.Type} ({value}).", nameof(op));
        if (ordered && value.Type is StaticType.Bool or StaticType.Kind or StaticType.Status)
            throw new ArgumentException($"Condition on {Describe()}: {value.Type} values have no order, so {op} is meaningless.", nameof(op));
    }
}
