using System.Management.Automation;
using Berth.Completers;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Add-ContainerImageTag: gives an image another name (docker tag).</summary>
    [Cmdlet(VerbsCommon.Add, "ContainerImageTag", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
    [Alias("acimg")]
    [OutputType(typeof(ContainerImage))]
    public sealed class AddContainerImageTagCommand : BerthCmdlet
    {
        /// <summary>The image: a reference, an id or a unique id prefix.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = "Name")]
        [Alias("Reference", "Source")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string Name { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public ContainerImage InputObject { get; set; }

        /// <summary>The new reference, e.g. registry.example:5000/team/app:1.2.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [Alias("Target")]
        [ValidateNotNullOrEmpty]
        public string Tag { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            string source = InputObject != null ? InputObject.Name : Name;
            if (!ShouldProcess(source, "Tag image as " + Tag)) return;
            try
            {
                Engine.TagImage(source, Tag);
                if (PassThru)
                    WriteObject(PickReference(Engine.InspectImage(Tag), Tag));
            }
            catch (BerthException e) { WriteBerthError(e, source); }
        }
    }
}
