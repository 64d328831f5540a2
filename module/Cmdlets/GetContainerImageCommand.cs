using System.Collections.Generic;
using System.Management.Automation;
using Berth.Completers;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Get-ContainerImage: the images in the store, one object per repository:tag (docker images).</summary>
    [Cmdlet(VerbsCommon.Get, "ContainerImage", DefaultParameterSetName = "Name")]
    [Alias("gcimg")]
    [OutputType(typeof(ContainerImage))]
    public sealed class GetContainerImageCommand : BerthCmdlet
    {
        /// <summary>References, image ids or id prefixes; wildcards match the reference, repository and id.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Name")]
        [Alias("Reference", "Image")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>Also list images that have no tag (dangling).</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                if (Name == null || Name.Length == 0)
                {
                    foreach (ContainerImage i in Engine.ListImages(null))
                        if (All || i.Reference != null) WriteObject(i);
                    return;
                }
                List<ContainerImage> all = null;
                foreach (string name in Name)
                {
                    if (StopRequested) return;
                    if (WildcardPattern.ContainsWildcardCharacters(name))
                    {
                        if (all == null) all = Engine.ListImages(null);
                        var p = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                        foreach (ContainerImage i in all)
                            if (p.IsMatch(i.Reference ?? "") || p.IsMatch(i.Repository ?? "") || p.IsMatch(i.Id ?? "") || p.IsMatch(i.ShortId ?? ""))
                                WriteObject(i);
                        continue;
                    }
                    try
                    {
                        foreach (ContainerImage i in RowsFor(Engine.InspectImage(name), name)) WriteObject(i);
                    }
                    catch (BerthException e) when (e.Code == BerthError.NotFound)
                    {
                        WriteError(new BerthNotFound(name, e.Message).ToErrorRecord("ContainerImageNotFound",
                            "List the store with Get-ContainerImage, or pull the image with Request-ContainerImage."));
                    }
                    catch (BerthException e) { WriteBerthError(e, name); }
                }
            }
            catch (BerthException e) { ThrowTerminatingError(e.ToErrorRecord(Name)); }
        }
    }

    /// <summary>An ObjectNotFound error with a cmdlet-specific id, keeping the library's message.</summary>
    internal sealed class BerthNotFound
    {
        private readonly string _name, _message;
        public BerthNotFound(string name, string message) { _name = name; _message = message; }
        public ErrorRecord ToErrorRecord(string errorId, string action)
        {
            var r = new ErrorRecord(new ItemNotFoundException(_message), errorId, ErrorCategory.ObjectNotFound, _name);
            r.ErrorDetails = new ErrorDetails(_message) { RecommendedAction = action };
            return r;
        }
    }
}
