using System.Collections.Generic;
using System.Management.Automation;
using Berth.Completers;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Export-ContainerImage: writes images to one docker-archive tar or OCI layout (docker save).
    /// Every image piped in goes into the one archive, written when the pipeline ends.</summary>
    [Cmdlet(VerbsData.Export, "ContainerImage", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
    [Alias("epcimg")]
    [OutputType(typeof(System.IO.FileInfo), typeof(System.IO.DirectoryInfo))]
    public sealed class ExportContainerImageCommand : BerthCmdlet
    {
        private readonly List<string> _names = new List<string>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Name")]
        [Alias("Reference")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string[] Name { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public ContainerImage[] InputObject { get; set; }

        /// <summary>The tar file (or, for oci-layout, a directory) to write.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter]
        [ValidateSet("docker-archive", "oci-layout")]
        public string Format { get; set; } = "docker-archive";

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject != null) foreach (ContainerImage i in InputObject) _names.Add(i.Name);
            else _names.AddRange(Name);
        }

        protected override void EndProcessing()
        {
            if (_names.Count == 0) return;
            string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(full, "Export " + string.Join(", ", _names))) return;
            try
            {
                RunWithProgress<object>("Exporting to " + full, progress => { Engine.SaveImages(_names, full, Format, progress); return null; });
                if (PassThru)
                {
                    if (System.IO.Directory.Exists(full)) WriteObject(new System.IO.DirectoryInfo(full));
                    else WriteObject(new System.IO.FileInfo(full));
                }
            }
            catch (BerthException e) { WriteBerthError(e, full); }
        }
    }
}
