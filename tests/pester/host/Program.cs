// BerthTestHost: runs a PowerShell script (or a command) in the real PowerShell 7 engine and
// prints what it writes. Used by tests/pester/run.sh and samples/demo.ps1.
//
//   BerthTestHost <script.ps1> [args...]
//   BerthTestHost -Command '<script text>'
//
// Exit status: the script's `exit N` ($LASTEXITCODE), 1 on an uncaught terminating error,
// 130 when stopped with Ctrl+C.
using System;
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Berth.TestHost
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length == 0 || (args[0] == "-Command" && args.Length < 2))
            {
                Console.Error.WriteLine("usage: BerthTestHost <script.ps1> [args...] | -Command '<text>'");
                return 2;
            }

            var host = new TestHost();
            var iss = InitialSessionState.CreateDefault2();
            using (Runspace runspace = RunspaceFactory.CreateRunspace(host, iss))
            {
                runspace.Open();
                using (PowerShell ps = PowerShell.Create())
                {
                    ps.Runspace = runspace;
                    if (args[0] == "-Command")
                    {
                        ps.AddScript(string.Join(" ", args, 1, args.Length - 1));
                    }
                    else
                    {
                        ps.AddCommand(System.IO.Path.GetFullPath(args[0]));
                        // "-Name value" binds a named parameter, a lone "-Switch" a switch,
                        // anything else is positional — as pwsh -File does.
                        for (int i = 1; i < args.Length; i++)
                        {
                            string a = args[i];
                            if (a.Length > 1 && a[0] == '-' && !char.IsDigit(a[1]))
                            {
                                string name = a.Substring(1).TrimEnd(':');
                                if (i + 1 < args.Length && !(args[i + 1].Length > 1 && args[i + 1][0] == '-' && !char.IsDigit(args[i + 1][1])))
                                    ps.AddParameter(name, args[++i]);
                                else
                                    ps.AddParameter(name);
                            }
                            else ps.AddArgument(a);
                        }
                    }
                    // Errors go through Out-Default with the output, so they read as PowerShell prints them.
                    ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
                    ps.AddCommand("Out-Default");

                    bool stopped = false;
                    Console.CancelKeyPress += (sender, e) => { e.Cancel = true; stopped = true; ps.BeginStop(null, null); };
                    try
                    {
                        ps.Invoke();
                    }
                    catch (RuntimeException e)
                    {
                        if (e is PipelineStoppedException || stopped) { Console.Error.WriteLine("stopped"); return 130; }
                        Console.Error.WriteLine(e.ErrorRecord != null ? e.ErrorRecord.ToString() : e.Message);
                        if (e.ErrorRecord?.InvocationInfo != null)
                            Console.Error.WriteLine(e.ErrorRecord.InvocationInfo.PositionMessage);
                        return 1;
                    }
                    if (stopped) return 130;
                    if (host.ExitCode.HasValue) return host.ExitCode.Value;
                    object last = runspace.SessionStateProxy.GetVariable("LASTEXITCODE");
                    return last is int code ? code : 0;
                }
            }
        }
    }
}
