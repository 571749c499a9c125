using Microsoft.Extensions.Logging;

namespace Threadline.Storage.Embedded;

/// <summary>
/// <c>blocks/&lt;output id&gt;.compacting</c>: the inputs of a merge, written (and fsynced) before
/// the merged block is published, deleted once the inputs are. If the process stops in between,
/// the next open finishes the job: the merged block exists, so the inputs it replaces are
/// deleted, and no span is read twice from the inputs and the merge.
/// </summary>
internal static class CompactionJournal
{
    public const string Extension = ".compacting";

    public static string Begin(string blocksDirectory, string outputId, IEnumerable<string> inputDirectories)
    {
        var path = Path.Combine(blocksDirectory, outputId + Extension);
        var lines = string.Join('\n', inputDirectories.Select(Path.GetFileName)) + "\n";
        DurableFiles.WriteAtomically(path, System.Text.Encoding.UTF8.GetBytes(lines));
        return path;
    }

    public static void End(string journalPath)
    {
        File.Delete(journalPath);
        DurableFiles.SyncDirectory(Path.GetDirectoryName(journalPath)!);
    }

    public static void Recover(string journalPath, string blocksDirectory, ILogger logger)
    {
        var outputId = Path.GetFileName(journalPath)[..^Extension.Length];
        if (Directory.Exists(Path.Combine(blocksDirectory, outputId)))
        {
            foreach (var input in File.ReadAllLines(journalPath))
            {
                var directory = Path.Combine(blocksDirectory, input);
                if (input.Length == 0 || input.Contains('/') || input.Contains('\\') || !Directory.Exists(directory)) continue;
                logger.LogInformation("Deleting block {Directory}, already merged into {Output}", directory, outputId);
                Directory.Delete(directory, recursive: true);
            }
        }
        End(journalPath);
    }
}
