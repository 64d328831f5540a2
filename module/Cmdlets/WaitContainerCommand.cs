using System;
using System.Management.Automation;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>Wait-Container: waits until containers exit and writes them with their ExitCode (docker wait).
    /// Waits in short slices so Ctrl+C stops it promptly.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "Container", DefaultParameterSetName = "Name")]
    [Alias("wctr")]
    [OutputType(typeof(Container))]
    public sealed class WaitContainerCommand : ContainerTargetCmdlet
    {
        /// <summary>Seconds to wait; default forever. On timeout, a non-terminating error per container.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Timeout { get; set; } = -1;

        protected override void ProcessRecord()
        {
            foreach (string name in Targets())
            {
                DateTime deadline = Timeout < 0 ? DateTime.MaxValue : DateTime.UtcNow.AddSeconds(Timeout);
                try
                {
                    while (true)
                    {
                        if (StopRequested) throw new PipelineStoppedException();
                        int slice = (int)Math.Max(0, Math.Min(500, (deadline - DateTime.UtcNow).TotalMilliseconds));
                        try
                        {
                            Engine.WaitContainer(name, slice);
                            WriteCurrent(name);
                            break;
                        }
                        catch (BerthException e) when (e.Code == BerthError.Busy && DateTime.UtcNow < deadline)
                        {
                            // still running: wait another slice
                        }
                    }
                }
                catch (BerthException e) { WriteBerthError(e, name); }
            }
        }
    }
}
