using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
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

        /// <summary>Writes a container's log lines to the pipeline as they come (since: RFC 3339 or
        /// null; follow: until it exits or Ctrl+C). The library calls back on the calling thread,
        /// so it runs on a worker and lines are written from this one.</summary>
        protected void WriteLogs(string name, bool follow, long tail, string since)
        {
            var lines = new BlockingCollection<ContainerLogEntry>(1024);
            Task reader = Task.Run(() =>
            {
                try { Engine.ContainerLogs(name, follow, tail, since, e => { if (StopRequested) return false; lines.Add(e); return !StopRequested; }); }
                finally { lines.CompleteAdding(); }
            });
            foreach (ContainerLogEntry e in lines.GetConsumingEnumerable())
                if (!StopRequested) WriteObject(e);
            try { reader.GetAwaiter().GetResult(); }
            catch (BerthException e) { WriteBerthError(e, name); }
            if (StopRequested) throw new PipelineStoppedException();
        }

        /// <summary>Now as the log writes its times (RFC 3339, UTC), for "only what comes next".</summary>
        protected static string LogTime(System.DateTime t) =>
            t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The container as the store has it now, for -PassThru.</summary>
        protected void WriteCurrent(string name)
        {
            try { WriteObject(Engine.InspectContainer(name)); }
            catch (BerthException e) { WriteBerthError(e, name); }
        }
    }
}
