using System.Collections.Generic;
using System.Management.Automation;
using Berth.Completers;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Base of the cmdlets that act on containers: the two parameter sets of style.md
    /// (-Name with wildcards and completion, by value and by property name; -InputObject typed,
    /// by value), resolved to container names one at a time with per-item errors.</summary>
    public abstract class ContainerTargetCmdlet : BerthCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Name")]
        [Alias("ContainerName", "Id")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ContainerNameCompleter))]
        public string[] Name { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public Container[] InputObject { get; set; }

        /// <summary>The container names this record names (wildcards expanded against the store).</summary>
        protected IEnumerable<string> Targets()
        {
            if (InputObject != null)
            {
                foreach (Container c in InputObject) yield return c.Name ?? c.Id;
                yield break;
            }
            List<Container> all = null;
            foreach (string n in Name)
            {
                if (!WildcardPattern.ContainsWildcardCharacters(n)) { yield return n; continue; }
                if (all == null)
                {
                    try { all = Engine.ListContainers(true, null, null); }
                    catch (BerthException e) { WriteBerthError(e, n); yield break; }
                }
                var p = new WildcardPattern(n, WildcardOptions.IgnoreCase);
                foreach (Container c in all) if (p.IsMatch(c.Name ?? "") || p.IsMatch(c.Id ?? "")) yield return c.Name ?? c.Id;
            }
        }

        /// <summary>The container as the store has it now, for -PassThru.</summary>
        protected void WriteCurrent(string name)
        {
            try { WriteObject(Engine.InspectContainer(name)); }
            catch (BerthException e) { WriteBerthError(e, name); }
        }
    }
}
