using System.Management.Automation;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Start-Container: starts created or stopped containers (docker start). -Attach
    /// (docker start -a) writes this run's log lines as they come and returns when it exits;
    /// with -PassThru the container follows, with its ExitCode.</summary>
    [Cmdlet(VerbsLifecycle.Start, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
    [Alias("sactr")]
    [OutputType(typeof(Container), typeof(ContainerLogEntry))]
    public sealed class StartContainerCommand : ContainerTargetCmdlet
    {
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        [Alias("a")]
        public SwitchParameter Attach { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string name in Targets())
            {
                if (StopRequested) return;
                if (!ShouldProcess(name, "Start container")) continue;
                try
                {
                    string since = LogTime(System.DateTime.UtcNow);   // only this run's lines
                    Engine.StartContainer(name);
                    if (Attach) WriteLogs(name, true, -1, since);
                    if (PassThru)
                    {
                        if (Attach) Engine.WaitContainer(name, -1);   // the exit is recorded
                        WriteCurrent(name);
                    }
                }
                catch (BerthException e) { WriteBerthError(e, name); }
            }
        }
    }
}
