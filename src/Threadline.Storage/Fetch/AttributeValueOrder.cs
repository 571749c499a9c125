using Threadline.Core.Model;

namespace Threadline.Storage.Fetch;

/// <summary>Orders scalar attribute values by type (string, bool, int, double), then by value; so that every engine lists values alike.</summary>
public sealed class AttributeValueOrder : IComparer<AttributeValue>
{
    public static AttributeValueOrder Instance { get; } = new();

    public int Compare(AttributeValue x, AttributeValue y)
    {
        if (x.Type != y.Type) return x.Type.CompareTo(y.Type);
        return x.Type switch
        {
            AttributeType.String => string.CompareOrdinal(x.AsString(), y.AsString()),
            AttributeType.Bool => x.AsBool().CompareTo(y.AsBool()),
            AttributeType.Int => x.AsInt().CompareTo(y.AsInt()),
            AttributeType.Double => x.AsDouble().CompareTo(y.AsDouble()),
            _ => string.CompareOrdinal(x.ToString(), y.ToString()),
        };
    }
}
