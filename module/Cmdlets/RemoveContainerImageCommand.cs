using System.Management.Automation;
using Berth.Completers;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Remove-ContainerImage: untags images and deletes those left without a tag (docker rmi).</summary>
    [Cmdlet(VerbsCommon.Remove, "ContainerImage", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
    [Alias("rcimg")]
    [OutputType(typeof(ContainerImageRemoval))]
    public sealed class RemoveContainerImageCommand : BerthCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Name")]
        [Alias("Reference")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string[] Name { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public ContainerImage[] InputObject { get; set; }

        /// <summary>Remove even when containers use the image, and every tag of an image given by id.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write what was untagged and deleted.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject != null)
                foreach (ContainerImage i in InputObject) Remove(i.Name);
            else
                foreach (string n in Name) Remove(n);
        }

        private void Remove(string name)
        {
            if (StopRequested || string.IsNullOrEmpty(name)) return;
            if (!ShouldProcess(name, "Remove image")) return;
            try
            {
                ContainerImageRemoval r = Engine.RemoveImage(name, Force.IsPresent);
                if (PassThru) WriteObject(r);
            }
            catch (BerthException e) { WriteBerthError(e, name); }
        }
    }
}
