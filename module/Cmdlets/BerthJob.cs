using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace Berth.Commands
{
    /// <summary>
    /// A background job for -AsJob: the work runs on a worker thread with its own store handle,
    /// writing into the job's Output, Error and Progress streams; Receive-Job, Wait-Job,
    /// Stop-Job and Remove-Job work on it as on any job. Stop-Job cancels through the same
    /// progress callback Ctrl+C uses.
    /// </summary>
    public sealed class BerthJob : Job
    {
        private readonly Action<BerthJob> _body;
        private volatile bool _stopRequested;
        private volatile string _status = "Not started";
        private Task _task;

        internal BerthJob(string command, string name, Action<BerthJob> body) : base(command, name)
        {
            _body = body;
            PSJobTypeName = "BerthJob";
        }

        public override string StatusMessage => _status;
        public override bool HasMoreData => Output.Count > 0 || Error.Count > 0 || Progress.Count > 0;
        public override string Location => Environment.MachineName;

        internal bool StopRequested => _stopRequested;

        internal void SetStatus(string status) => _status = status;

        internal void Start()
        {
            SetJobState(JobState.Running);
            _status = "Running";
            _task = Task.Run(() =>
            {
                JobState end;
                try
                {
                    _body(this);
                    end = _stopRequested ? JobState.Stopped : (Error.Count > 0 ? JobState.Failed : JobState.Completed);
                }
                catch (Exception e)
                {
                    Error.Add(new ErrorRecord(e, "BerthJobFailed", ErrorCategory.NotSpecified, Name));
                    end = _stopRequested ? JobState.Stopped : JobState.Failed;
                }
                _status = end.ToString();
                SetJobState(end);
            });
        }

        public override void StopJob()
        {
            _stopRequested = true;
            try { _task?.Wait(); } catch (AggregateException) { }
        }
    }
}
