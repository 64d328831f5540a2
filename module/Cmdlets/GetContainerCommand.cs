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

        /// <summary>Created, Running, Restarting (backing off under a restart policy) or Exited.</summary>
        [Parameter]
        [ValidateSet("Created", "Running", "Restarting", "Exited")]
        public string Status { get; set; }

        protected override void ProcessRecord()
        {
            List<Container> all;
            try { all = Engine.ListContainers(true, Status?.ToLowerInvariant(), null); }
            catch (BerthException e) { ThrowTerminatingError(e.ToErrorRecord(Name)); return; }
            if (Name == null || Name.Length == 0) { WriteObject(all, enumerateCollection: true); return; }
            foreach (string n in Name)
            {
                bool found = false;
                if (WildcardPattern.ContainsWildcardCharacters(n))
                {
                    var p = new WildcardPattern(n, WildcardOptions.IgnoreCase);
                    foreach (Container c in all)
                        if (p.IsMatch(c.Name ?? "") || p.IsMatch(c.Id ?? "")) { WriteObject(c); found = true; }
                    continue;
                }
                // As docker: an exact name wins; otherwise a unique id prefix.
                foreach (Container c in all)
                    if (string.Equals(c.Name, n, System.StringComparison.Ordinal)) { WriteObject(c); found = true; }
                if (!found)
                {
                    var byId = all.FindAll(c => c.Id != null && c.Id.StartsWith(n, System.StringComparison.OrdinalIgnoreCase));
                    if (byId.Count == 1) { WriteObject(byId[0]); found = true; }
                    else if (byId.Count > 1)
                    {
                        WriteError(new System.ArgumentException("'" + n + "' is the start of " + byId.Count + " container ids; give more characters or the name."),
                                   "ContainerIdAmbiguous", ErrorCategory.InvalidArgument, n);
                        continue;
                    }
                }
                if (!found && !WildcardPattern.ContainsWildcardCharacters(n))
                    WriteNotFound("Container", n, "ContainerNotFound", "List the containers with Get-Container.");
            }
        }
    }
}
