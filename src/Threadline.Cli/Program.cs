using System.CommandLine;
using Threadline.Cli;

var root = new RootCommand("Threadline: a distributed tracing backend and its tools.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(LoadgenCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(DemoCommand.CreateServiceCommand());

// Ctrl+C cancels the running command's token; give a command time to stop gracefully (the
// server drains its ingest queue) before the process is ended regardless.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = ServeCommand.ShutdownTimeout + TimeSpan.FromSeconds(5) };
return await root.Parse(args).InvokeAsync(invocation);
