using System.Management.Automation;
using Berth.Interop;

namespace Berth.Commands
{
    /// <summary>Remove-Container: deletes containers and their writable layer (docker rm).</summary>
    [Cmdlet(VerbsCommon.Remove, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
    [Alias("rctr")]
    [OutputType(typeof(void))]
    public sealed class RemoveContainerCommand : ContainerTargetCmdlet
    {
        /// <summary>Kill a running container first.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string name in Targets())
            {
                if (StopRequested) return;
                if (!ShouldProcess(name, "Remove container")) continue;
                try { Engine.RemoveContainer(name, Force.IsPresent); }
                catch (BerthException e) { WriteBerthError(e, name); }
            }
        }
    }
}
