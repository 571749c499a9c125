namespace Threadline.Core.Analysis;

/// <summary>
/// Operation paths ("service: name" steps from a top span down) interned as a trie, so that a
/// path costs one entry however deep it is. A node's parent always has a smaller id.
/// </summary>
internal sealed class OperationPaths
{
    private readonly Dictionary<(int Parent, string Service, string Name), int> _ids = [];
    private readonly List<(int Parent, string Service, string Name)> _nodes = [];

    public int Count => _nodes.Count;

    public int Intern(int parent, string service, string name)
    {
        var key = (parent, service, name);
        if (_ids.TryGetValue(key, out var id)) return id;
        id = _nodes.Count;
        _nodes.Add(key);
        _ids[key] = id;
        return id;
    }

    public int ParentOf(int node) => _nodes[node].Parent;
    public string ServiceOf(int node) => _nodes[node].Service;
    public string NameOf(int node) => _nodes[node].Name;

    /// <summary>The path from the top down to the node, as "service: name" steps.</summary>
    public string[] PathOf(int node)
    {
        var steps = new List<string>();
        for (var at = node; at >= 0; at = _nodes[at].Parent) steps.Add(_nodes[at].Service + ": " + _nodes[at].Name);
        steps.Reverse();
        return [.. steps];
    }

    /// <summary>Node ids of <paramref name="other"/>'s paths in this trie, interning those it lacks.</summary>
    public int[] Import(OperationPaths other)
    {
        var map = new int[other.Count];
        for (var node = 0; node < other.Count; node++)
        {
            var (parent, service, name) = other._nodes[node];
            map[node] = Intern(parent < 0 ? -1 : map[parent], service, name);
        }
        return map;
    }
}
