using System.Management.Automation;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Restart-Container: stops (if running) and starts again (docker restart).</summary>
    [Cmdlet(VerbsLifecycle.Restart, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
    [Alias("rtctr")]
    [OutputType(typeof(Container))]
    public sealed class RestartContainerCommand : ContainerTargetCmdlet
    {
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Timeout { get; set; } = -1;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string name in Targets())
            {
                if (StopRequested) return;
                if (!ShouldProcess(name, "Restart container")) continue;
                try
                {
                    try { Engine.StopContainer(name, Timeout); }
                    catch (BerthException e) when (e.Code == BerthError.State) { /* not running: just start */ }
                    Engine.StartContainer(name);
                    if (PassThru) WriteCurrent(name);
                }
                catch (BerthException e) { WriteBerthError(e, name); }
            }
        }
    }
}
