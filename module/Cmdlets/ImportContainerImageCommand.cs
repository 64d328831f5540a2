using System.Management.Automation;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Import-ContainerImage: loads images from a docker-archive tar or an OCI layout (docker load).</summary>
    [Cmdlet(VerbsData.Import, "ContainerImage", SupportsShouldProcess = true)]
    [Alias("ipcimg")]
    [OutputType(typeof(ContainerImage))]
    public sealed class ImportContainerImageCommand : BerthCmdlet
    {
        /// <summary>A tar file (docker-archive or OCI layout as tar) or an OCI layout directory.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        /// <summary>docker-archive or oci-layout; default: detected from the archive.</summary>
        [Parameter]
        [ValidateSet("docker-archive", "oci-layout")]
        public string Format { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string p in Path)
            {
                if (StopRequested) return;
                string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(p);
                if (!ShouldProcess(full, "Import images")) continue;
                try
                {
                    var images = RunWithProgress("Importing " + full, progress => Engine.LoadImages(full, Format, progress));
                    WriteObject(images, enumerateCollection: true);
                }
                catch (BerthException e) { WriteBerthError(e, full); }
            }
        }
    }
}
