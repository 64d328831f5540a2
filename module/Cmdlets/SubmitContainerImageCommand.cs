using System.Management.Automation;
using Berth.Completers;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Submit-ContainerImage: pushes a local image to a registry (docker push).</summary>
    [Cmdlet(VerbsLifecycle.Submit, "ContainerImage", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
    [Alias("sbcimg")]
    [OutputType(typeof(ContainerImagePush))]
    public sealed class SubmitContainerImageCommand : BerthCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Name")]
        [Alias("Reference")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string[] Name { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public ContainerImage[] InputObject { get; set; }

        /// <summary>Where to push; default: the image's own reference.</summary>
        [Parameter(Position = 1)]
        public string Destination { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject != null) foreach (ContainerImage i in InputObject) Push(i.Name);
            else foreach (string n in Name) Push(n);
        }

        private void Push(string name)
        {
            if (StopRequested) return;
            string target = Destination ?? name;
            if (!ShouldProcess(target, "Push image " + name)) return;
            try
            {
                WriteObject(RunWithProgress("Pushing " + target, progress => Engine.PushImage(name, Destination, progress)));
            }
            catch (BerthException e) { WriteBerthError(e, name); }
        }
    }
}
