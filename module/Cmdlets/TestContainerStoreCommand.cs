using System.Management.Automation;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Test-ContainerStore: checks the store (blobs hash to their names, metadata points at
    /// what exists); -Repair fixes what can be fixed.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "ContainerStore", SupportsShouldProcess = true)]
    [Alias("tcs")]
    [OutputType(typeof(ContainerStoreReport), typeof(bool))]
    public sealed class TestContainerStoreCommand : BerthCmdlet
    {
        [Parameter]
        public SwitchParameter Repair { get; set; }

        /// <summary>Write only $true or $false, like Test-Path.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void EndProcessing()
        {
            bool repair = Repair.IsPresent && ShouldProcess(Engine.Root, "Repair the store");
            try
            {
                ContainerStoreReport r = Engine.Fsck(repair);
                if (Quiet) WriteObject(r.Healthy);
                else WriteObject(r);
            }
            catch (BerthException e) { ThrowTerminatingError(e.ToErrorRecord(Engine.Root)); }
        }
    }
}
