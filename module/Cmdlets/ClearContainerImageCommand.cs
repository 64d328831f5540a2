using System.Management.Automation;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Clear-ContainerImage: removes unused blobs and layers from the store (docker image prune).</summary>
    [Cmdlet(VerbsCommon.Clear, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [Alias("clcimg")]
    [OutputType(typeof(ContainerStorePruneResult))]
    public sealed class ClearContainerImageCommand : BerthCmdlet
    {
        /// <summary>Also remove untagged images no container uses.</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        protected override void EndProcessing()
        {
            string what = All ? "unused blobs, layers and untagged images" : "unused blobs and layers";
            if (!ShouldProcess(Engine.Root, "Remove " + what)) return;
            try { WriteObject(Engine.Prune(All.IsPresent)); }
            catch (BerthException e) { ThrowTerminatingError(e.ToErrorRecord(Engine.Root)); }
        }
    }
}
