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
    [OutputType(typeof(BerthJob))]
    public sealed class RequestContainerImageCommand : BerthCmdlet
    {
        private readonly System.Collections.Generic.List<string> _jobNames = new System.Collections.Generic.List<string>();

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

        /// <summary>Pull in a background job; Receive-Job writes the images, Stop-Job cancels.</summary>
        [Parameter]
        public SwitchParameter AsJob { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string name in Name)
            {
                if (StopRequested) return;
                if (!ShouldProcess(name, "Pull image")) continue;
                if (AsJob) { _jobNames.Add(name); continue; }
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

        protected override void EndProcessing()
        {
            if (!AsJob || _jobNames.Count == 0) return;
            string root = ResolveRoot(this, Root);
            string platform = Platform, isolation = Isolation?.ToLowerInvariant();
            bool foreign = AllowForeignLayers.IsPresent;
            var names = _jobNames.ToArray();
            var job = new BerthJob(MyInvocation.Line, "Pull " + string.Join(", ", names), j =>
            {
                using (Engine engine = Engine.Open(root))
                {
                    foreach (string name in names)
                    {
                        if (j.StopRequested) return;
                        j.SetStatus("Pulling " + name);
                        var view = new ProgressView("Pulling " + name);
                        try
                        {
                            var images = engine.PullImage(name, platform, isolation, foreign, e =>
                            {
                                if (j.StopRequested) return false;
                                foreach (ProgressRecord r in view.Update(e)) j.Progress.Add(r);
                                return !j.StopRequested;
                            });
                            foreach (ProgressRecord r in view.Complete()) j.Progress.Add(r);
                            ContainerImage image = PickReference(images, name);
                            if (image != null) j.Output.Add(PSObject.AsPSObject(image));
                        }
                        catch (BerthException e) when (e.Code == BerthError.Canceled && j.StopRequested) { return; }
                        catch (BerthException e) { j.Error.Add(e.ToErrorRecord(name)); }
                    }
                }
            });
            JobRepository.Add(job);
            job.Start();
            WriteObject(job);
        }
    }
}
