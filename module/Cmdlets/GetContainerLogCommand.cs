using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading.Tasks;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Get-ContainerLog: a container's stdout and stderr lines (docker logs). -Follow keeps
    /// reading until the container exits or Ctrl+C.</summary>
    [Cmdlet(VerbsCommon.Get, "ContainerLog", DefaultParameterSetName = "Name")]
    [Alias("gctrl")]
    [OutputType(typeof(ContainerLogEntry))]
    public sealed class GetContainerLogCommand : ContainerTargetCmdlet
    {
        /// <summary>Only the last N lines.</summary>
        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long Tail { get; set; } = -1;

        /// <summary>Only lines written at or after this time.</summary>
        [Parameter]
        public System.DateTime? Since { get; set; }

        [Parameter]
        public SwitchParameter Follow { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string name in Targets())
            {
                if (StopRequested) return;
                string since = Since?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
                // The library calls back on the calling thread; run it on a worker so lines reach
                // the pipeline as they come (WriteObject only from this thread).
                var lines = new BlockingCollection<ContainerLogEntry>(1024);
                Task reader = Task.Run(() =>
                {
                    try { Engine.ContainerLogs(name, Follow.IsPresent, Tail, since, e => { if (StopRequested) return false; lines.Add(e); return !StopRequested; }); }
                    finally { lines.CompleteAdding(); }
                });
                foreach (ContainerLogEntry e in lines.GetConsumingEnumerable())
                    if (!StopRequested) WriteObject(e);
                try { reader.GetAwaiter().GetResult(); }
                catch (BerthException e) { WriteBerthError(e, name); }
                if (StopRequested) throw new PipelineStoppedException();
            }
        }
    }
}
