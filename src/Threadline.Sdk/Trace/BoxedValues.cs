namespace Threadline.Sdk;

/// <summary>
/// Shared boxes for common attribute values. Activity stores attributes as objects, and boxing a bool
/// or a small integer (an HTTP status code, a retry count) on every span is avoidable garbage.
/// </summary>
internal static class BoxedValues
{
    private const long SmallMin = -128;
    private const long SmallMax = 1023;

    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly object[] SmallIntegers = CreateSmallIntegers();

    public static object Of(bool value) => value ? True : False;

    public static object Of(long value) =>
        value is >= SmallMin and <= SmallMax ? SmallIntegers[value - SmallMin] : value;

    private static object[] CreateSmallIntegers()
    {
        var boxes = new object[SmallMax - SmallMin + 1];
        for (var i = 0; i < boxes.Length; i++) boxes[i] = SmallMin + i;
        return boxes;
    }
}
