using System.Management.Automation;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Stop-Container: sends the stop signal, waits -Timeout seconds, then kills (docker stop).
    /// -Kill sends a signal at once instead (docker kill).</summary>
    [Cmdlet(VerbsLifecycle.Stop, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
    [Alias("spctr")]
    [OutputType(typeof(Container))]
    public sealed class StopContainerCommand : ContainerTargetCmdlet
    {
        /// <summary>Seconds to wait after the stop signal before killing; default: the container's own.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Timeout { get; set; } = -1;

        /// <summary>Send -Signal (default KILL) at once instead of a graceful stop.</summary>
        [Parameter]
        public SwitchParameter Kill { get; set; }

        [Parameter]
        public string Signal { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string name in Targets())
            {
                if (StopRequested) return;
                if (!ShouldProcess(name, Kill ? "Kill container" : "Stop container")) continue;
                try
                {
                    if (Kill || Signal != null) Engine.KillContainer(name, Signal ?? "KILL");
                    else Engine.StopContainer(name, Timeout);
                    if (PassThru) WriteCurrent(name);
                }
                catch (BerthException e) { WriteBerthError(e, name); }
            }
        }
    }
}
