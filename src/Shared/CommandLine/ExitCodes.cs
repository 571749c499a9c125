namespace Threadline.CommandLine;

/// <summary>The exit codes of every Threadline program (docs/cli.md lists them).</summary>
internal static class ExitCodes
{
    /// <summary>Done, or stopped by Ctrl+C / SIGTERM and shut down cleanly.</summary>
    public const int Success = 0;

    /// <summary>The command started but failed at run time: a port in use, a child program that would not start.</summary>
    public const int Failure = 1;

    /// <summary>The command line or the configuration is wrong; nothing was started.</summary>
    public const int Usage = 2;
}
