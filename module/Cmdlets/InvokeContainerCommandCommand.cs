using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using Berth.Interop;

namespace Berth.Commands
{
    /// <summary>Invoke-ContainerCommand: runs a process in a running container (docker exec). Its
    /// stdout is written as strings, its stderr as errors (like a native command), and its exit
    /// status lands in $LASTEXITCODE.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "ContainerCommand", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
    [Alias("ictr")]
    [OutputType(typeof(string))]
    public sealed class InvokeContainerCommandCommand : ContainerTargetCmdlet
    {
        [Parameter(Mandatory = true, Position = 1, ValueFromRemainingArguments = true)]
        [ValidateNotNullOrEmpty]
        public string[] Command { get; set; }

        [Parameter]
        [Alias("Env")]
        public Hashtable Environment { get; set; }

        [Parameter]
        public string WorkingDirectory { get; set; }

        [Parameter]
        public string User { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string name in Targets())
            {
                if (StopRequested) return;
                if (!ShouldProcess(name, "Run " + string.Join(" ", Command))) continue;
                var spec = new Dictionary<string, object> { ["cmd"] = Command, ["tty"] = false };
                if (Environment != null)
                {
                    var env = new List<string>();
                    foreach (DictionaryEntry kv in Environment)
                        env.Add(Convert.ToString(kv.Key, CultureInfo.InvariantCulture) + "=" + Convert.ToString(kv.Value, CultureInfo.InvariantCulture));
                    spec["env"] = env;
                }
                if (WorkingDirectory != null) spec["workdir"] = WorkingDirectory;
                if (User != null) spec["user"] = User;
                Run(name, spec);
            }
        }

        private void Run(string name, Dictionary<string, object> spec)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                WriteError(new PlatformNotSupportedException("Invoke-ContainerCommand passes file descriptors to berth_container_exec, which this module does not yet do on Windows."),
                           "ExecNotSupportedOnWindows", ErrorCategory.NotImplemented, name);
                return;
            }
            // The library takes file descriptors: give it two temp files and read them back.
            // On Unix a FileStream's handle is its file descriptor.
            string outPath = System.IO.Path.GetTempFileName(), errPath = System.IO.Path.GetTempFileName();
            try
            {
                int code;
                using (var stdout = new FileStream(outPath, FileMode.Open, FileAccess.ReadWrite))
                using (var stderr = new FileStream(errPath, FileMode.Open, FileAccess.ReadWrite))
                {
                    code = Engine.Exec(name, spec, -1, (int)stdout.SafeFileHandle.DangerousGetHandle(), (int)stderr.SafeFileHandle.DangerousGetHandle());
                }
                foreach (string line in ReadLines(outPath)) WriteObject(line);
                foreach (string line in ReadLines(errPath))
                    WriteError(new ErrorRecord(new RemoteException(line), "NativeCommandError", ErrorCategory.FromStdErr, name));
                SessionState.PSVariable.Set("global:LASTEXITCODE", code);
            }
            catch (BerthException e) { WriteBerthError(e, name); }
            finally
            {
                File.Delete(outPath);
                File.Delete(errPath);
            }
        }

        private static IEnumerable<string> ReadLines(string path)
        {
            string text = File.ReadAllText(path);
            if (text.Length == 0) yield break;
            foreach (string l in text.TrimEnd('\n').Split('\n')) yield return l.TrimEnd('\r');
        }
    }
}
