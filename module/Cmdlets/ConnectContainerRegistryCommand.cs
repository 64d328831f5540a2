using System.Management.Automation;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Connect-ContainerRegistry: checks credentials against a registry and stores them for
    /// later pulls and pushes (docker login).</summary>
    [Cmdlet(VerbsCommunications.Connect, "ContainerRegistry", SupportsShouldProcess = true)]
    [Alias("ccr")]
    [OutputType(typeof(ContainerRegistryLogin))]
    public sealed class ConnectContainerRegistryCommand : BerthCmdlet
    {
        /// <summary>host[:port], e.g. myregistry.azurecr.io; docker.io for Docker Hub.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Server")]
        [ValidateNotNullOrEmpty]
        public string Registry { get; set; }

        [Parameter(Mandatory = true, Position = 1)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess(Registry, "Sign in as " + Credential.UserName)) return;
            try
            {
                Engine.Login(Registry, Credential.UserName, Credential.GetNetworkCredential().Password);
                if (PassThru) WriteObject(new ContainerRegistryLogin { Registry = Registry, UserName = Credential.UserName });
            }
            catch (BerthException e) { WriteBerthError(e, Registry); }
        }
    }
}
