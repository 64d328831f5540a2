using System.Collections.Generic;
using System.Management.Automation;
using Berth.Completers;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Get-Container: the containers of the store, running or not, like Get-VM (docker ps -a).</summary>
    [Cmdlet(VerbsCommon.Get, "Container")]
    [Alias("gctr")]
    [OutputType(typeof(Container))]
    public sealed class GetContainerCommand : BerthCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ContainerName", "Id")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>created, running, exited, ... (the library's status words).</summary>
        [Parameter]
        [ValidateSet("Created", "Running", "Paused", "Stopped", "Exited", "Unknown")]
        public string Status { get; set; }

        protected override void ProcessRecord()
        {
            List<Container> all;
            try { all = Engine.ListContainers(true, Status?.ToLowerInvariant(), null); }
            catch (BerthException e) { ThrowTerminatingError(e.ToErrorRecord(Name)); return; }
            if (Name == null || Name.Length == 0) { WriteObject(all, enumerateCollection: true); return; }
            foreach (string n in Name)
            {
                var p = new WildcardPattern(n, WildcardOptions.IgnoreCase);
                bool found = false;
                foreach (Container c in all)
                {
                    if (p.IsMatch(c.Name ?? "") || p.IsMatch(c.Id ?? "") || (c.Id != null && !WildcardPattern.ContainsWildcardCharacters(n) && c.Id.StartsWith(n, System.StringComparison.OrdinalIgnoreCase)))
                    {
                        WriteObject(c);
                        found = true;
                    }
                }
                if (!found && !WildcardPattern.ContainsWildcardCharacters(n))
                    WriteNotFound("Container", n, "ContainerNotFound", "List the containers with Get-Container.");
            }
        }
    }
}
