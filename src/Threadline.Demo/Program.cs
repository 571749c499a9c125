using System.CommandLine;
using Threadline.CommandLine;
using Threadline.Demo;
using Threadline.Demo.CommandLine;

// Ctrl+C cancels the command's token; stopping the services (each exports its last spans) takes up
// to DemoOptions.StopTimeout, after which the process ends regardless.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = new DemoOptions().StopTimeout + TimeSpan.FromSeconds(5) };
// Run as `threadline demo`, errors name the command the user typed.
var name = Environment.GetEnvironmentVariable(DemoCommandLine.InvokedAsVariable) is { Length: > 0 } invokedAs ? invokedAs : DemoCommandLine.ProgramName;
return await UsageErrors.InvokeAsync(DemoCommandLine.Create(), name, args, invocation);
