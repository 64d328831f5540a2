using System.Management.Automation;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Start-Container: starts created or stopped containers (docker start).</summary>
    [Cmdlet(VerbsLifecycle.Start, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
    [Alias("sactr")]
    [OutputType(typeof(Container))]
    public sealed class StartContainerCommand : ContainerTargetCmdlet
    {
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string name in Targets())
            {
                if (StopRequested) return;
                if (!ShouldProcess(name, "Start container")) continue;
                try
                {
                    Engine.StartContainer(name);
                    if (PassThru) WriteCurrent(name);
                }
                catch (BerthException e) { WriteBerthError(e, name); }
            }
        }
    }
}
