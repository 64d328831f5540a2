using System.Management.Automation;
using Berth.Interop;

namespace Berth.Commands
{
    /// <summary>Disconnect-ContainerRegistry: forgets the stored credentials of a registry (docker logout).</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "ContainerRegistry", SupportsShouldProcess = true)]
    [Alias("dcr")]
    [OutputType(typeof(void))]
    public sealed class DisconnectContainerRegistryCommand : BerthCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Server")]
        [ValidateNotNullOrEmpty]
        public string[] Registry { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string r in Registry)
            {
                if (!ShouldProcess(r, "Forget stored credentials")) continue;
                try { Engine.Logout(r); }
                catch (BerthException e) { WriteBerthError(e, r); }
            }
        }
    }
}
