using System.Management.Automation;
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
                WriteLogs(name, Follow.IsPresent, Tail, Since.HasValue ? LogTime(Since.Value) : null);
            }
        }
    }
}
