using System.Management.Automation;
using Berth.Completers;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Request-ContainerImage: pulls images from a registry into the store (docker pull).
    /// Shows a progress record per layer; Ctrl+C cancels the download cleanly.</summary>
    [Cmdlet(VerbsLifecycle.Request, "ContainerImage", SupportsShouldProcess = true)]
    [Alias("rqcimg")]
    [OutputType(typeof(ContainerImage))]
    public sealed class RequestContainerImageCommand : BerthCmdlet
    {
        /// <summary>Image references: registry/repository:tag or repository@sha256:digest.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Reference", "Image")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>os/arch[/variant][:os.version]; default: this host.</summary>
        [Parameter]
        public string Platform { get; set; }

        /// <summary>Windows isolation the image must run under: Process or HyperV.</summary>
        [Parameter]
        [ValidateSet("Process", "HyperV")]
        public string Isolation { get; set; }

        /// <summary>Also fetch non-distributable (foreign) layers from their URLs.</summary>
        [Parameter]
        public SwitchParameter AllowForeignLayers { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string name in Name)
            {
                if (StopRequested) return;
                if (!ShouldProcess(name, "Pull image")) continue;
                try
                {
                    string isolation = Isolation?.ToLowerInvariant();
                    var images = RunWithProgress("Pulling " + name, progress =>
                        Engine.PullImage(name, Platform, isolation, AllowForeignLayers.IsPresent, progress));
                    ContainerImage image = PickReference(images, name);
                    if (image != null) WriteObject(image);
                }
                catch (BerthException e) { WriteBerthError(e, name); }
            }
        }
    }
}
