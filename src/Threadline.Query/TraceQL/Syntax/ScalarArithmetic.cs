using Threadline.Query.TraceQL.Ast;

namespace Threadline.Query.TraceQL.Syntax;

/// <summary>Arithmetic on doubles, shared by constant folding and evaluation so both agree.</summary>
internal static class ScalarArithmetic
{
    public static double Apply(ArithmeticOperator op, double left, double right) => op switch
    {
        ArithmeticOperator.Add => left + right,
        ArithmeticOperator.Subtract => left - right,
        ArithmeticOperator.Multiply => left * right,
        ArithmeticOperator.Divide => left / right,
        ArithmeticOperator.Modulo => left % right,
        _ => Math.Pow(left, right),
    };
}
