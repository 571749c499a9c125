using System.CommandLine;
using Threadline.Cli;

// Ctrl+C cancels the running command's token; give a command time to stop gracefully (the
// server drains its ingest queue) before the process is ended regardless.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = ServeCommand.ShutdownTimeout + TimeSpan.FromSeconds(5) };
return await ThreadlineCli.RunAsync(args, invocation);
