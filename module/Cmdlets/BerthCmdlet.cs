using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading.Tasks;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>
    /// Base of every Berth cmdlet: -Root, the store opened in BeginProcessing and closed when the
    /// cmdlet is disposed, StopProcessing → a cancel flag the progress callbacks read, and the
    /// one way native failures become ErrorRecords (BerthError's table).
    /// </summary>
    public abstract class BerthCmdlet : PSCmdlet, IDisposable
    {
        private Engine _engine;
        private volatile bool _stopRequested;

        /// <summary>The store root; default $env:BERTH_ROOT, else /var/lib/berth or %ProgramData%\berth.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Root { get; set; }

        protected bool StopRequested => _stopRequested;

        /// <summary>The opened store (opened on first use, so cmdlets that fail validation open nothing).</summary>
        protected Engine Engine
        {
            get
            {
                if (_engine == null)
                {
                    string root = ResolveRoot(this, Root);
                    try { _engine = Engine.Open(root); }
                    catch (BerthException e) { ThrowTerminatingError(e.ToErrorRecord(root)); }
                }
                return _engine;
            }
        }

        /// <summary>-Root, resolved against the current location; else $env:BERTH_ROOT, read here
        /// because on .NET Core for Unix `$env:X = …` does not reach the C library's getenv.</summary>
        internal static string ResolveRoot(PSCmdlet cmdlet, string root)
        {
            if (string.IsNullOrEmpty(root)) root = Environment.GetEnvironmentVariable("BERTH_ROOT");
            if (string.IsNullOrEmpty(root)) return null;
            return cmdlet != null ? cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(root) : root;
        }

        protected override void StopProcessing() => _stopRequested = true;

        /// <summary>The rows for a name asked of inspect: the one row whose reference is the name
        /// (normalised by the library, as docker would), else every row (an id or id prefix).</summary>
        internal static List<ContainerImage> RowsFor(List<ContainerImage> rows, string asked)
        {
            string normal = null;
            try { normal = Json.Str(Engine.ParseReference(asked), "reference"); }
            catch (BerthException) { /* not a reference: an id or id prefix */ }
            if (normal != null)
            {
                var hit = rows.FindAll(r => string.Equals(r.Reference, normal, StringComparison.Ordinal));
                if (hit.Count > 0) return hit;
            }
            return rows;
        }

        /// <summary>Of the rows of one image (one per reference), the one for the name asked,
        /// matched as the library normalises it (docker.io/library/ and :latest added).</summary>
        internal static ContainerImage PickReference(List<ContainerImage> rows, string asked)
        {
            if (rows.Count == 0) return null;
            string a = asked ?? "";
            string withTag = a.IndexOf('@') < 0 && a.LastIndexOf(':') <= a.LastIndexOf('/') ? a + ":latest" : a;
            foreach (ContainerImage r in rows)
            {
                string full = r.Reference ?? "";
                if (full == a || full == withTag || full.EndsWith("/" + a, StringComparison.Ordinal) ||
                    full.EndsWith("/" + withTag, StringComparison.Ordinal))
                    return r;
            }
            return rows[0];
        }

        public void Dispose()
        {
            _engine?.Dispose();
            _engine = null;
            GC.SuppressFinalize(this);
        }

        /// <summary>Per-item failure: write it and go on with the next item.</summary>
        protected void WriteBerthError(BerthException e, object target)
        {
            if (e.Code == BerthError.Canceled && StopRequested) throw new PipelineStoppedException();
            WriteError(e.ToErrorRecord(target));
        }

        protected void WriteError(Exception e, string errorId, ErrorCategory category, object target, string action = null)
        {
            var record = new ErrorRecord(e, errorId, category, target);
            if (action != null) record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = action };
            WriteError(record);
        }

        /// <summary>Names that match nothing: a not-found error per name (wildcards that match nothing are silent, as in Get-Item).</summary>
        protected void WriteNotFound(string kind, string name, string errorId, string action)
        {
            WriteError(new ItemNotFoundException(kind + " '" + name + "' was not found in the store at " + (Engine.Root ?? "the default root") + "."),
                       errorId, ErrorCategory.ObjectNotFound, name, action);
        }

        /// <summary>
        /// Runs a long native call on a worker thread and shows its progress here, on the pipeline
        /// thread — the only thread allowed to call WriteProgress. The callback (worker thread)
        /// throttles to a few events a second per object and returns false once StopProcessing ran,
        /// which makes the library unwind to BERTH_ECANCELED; that surfaces as a stopped pipeline.
        /// </summary>
        protected T RunWithProgress<T>(string activity, Func<Func<ProgressEvent, bool>, T> work)
        {
            var queue = new BlockingCollection<ProgressEvent>();
            var last = new Dictionary<string, KeyValuePair<string, long>>();   // id → (phase, ms) of the last queued event
            var clock = Stopwatch.StartNew();

            bool OnProgress(ProgressEvent e)
            {
                if (_stopRequested) return false;
                string key = e.Id ?? "";
                bool finished = e.Total > 0 && e.Current >= e.Total;
                if (last.TryGetValue(key, out var prev) && prev.Key == e.Phase && !finished && clock.ElapsedMilliseconds - prev.Value < 250)
                    return true;
                last[key] = new KeyValuePair<string, long>(e.Phase, clock.ElapsedMilliseconds);
                queue.Add(e);
                return !_stopRequested;
            }

            Task<T> task = Task.Run(() =>
            {
                try { return work(OnProgress); }
                finally { queue.CompleteAdding(); }
            });

            var view = new ProgressView(activity);
            foreach (ProgressEvent e in queue.GetConsumingEnumerable())
            {
                if (_stopRequested) continue;   // drain without writing; the worker is unwinding
                foreach (ProgressRecord r in view.Update(e)) WriteProgress(r);
            }
            try
            {
                T result = task.GetAwaiter().GetResult();
                return result;
            }
            catch (BerthException e) when (e.Code == BerthError.Canceled && _stopRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                if (!_stopRequested) foreach (ProgressRecord r in view.Complete()) WriteProgress(r);
            }
        }
    }

    /// <summary>Turns library progress events into one parent record for the operation and one
    /// child record per object (layer digest), as docker shows a line per layer.</summary>
    internal sealed class ProgressView
    {
        private const int ParentId = 1;
        private readonly string _activity;
        private readonly Dictionary<string, ProgressRecord> _children = new Dictionary<string, ProgressRecord>();
        private readonly ProgressRecord _parent;
        private int _nextId = ParentId + 1;

        public ProgressView(string activity)
        {
            _activity = activity;
            _parent = new ProgressRecord(ParentId, activity, "Starting");
        }

        private static string Size(ulong bytes)
        {
            string[] units = { "B", "KB", "MB", "GB", "TB" };
            double v = bytes; int u = 0;
            while (v >= 1024 && u < units.Length - 1) { v /= 1024; u++; }
            return u == 0 ? bytes + " B" : v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " " + units[u];
        }

        private static string ShortName(string id)
        {
            if (id == null) return "";
            return id.StartsWith("sha256:", StringComparison.Ordinal) && id.Length > 19 ? id.Substring(7, 12) : id;
        }

        /// <summary>A snapshot: the view keeps mutating its records, and a host or a job's
        /// Progress stream keeps the objects it is given.</summary>
        private static ProgressRecord Snapshot(ProgressRecord r) => new ProgressRecord(r.ActivityId, r.Activity, r.StatusDescription)
        {
            ParentActivityId = r.ParentActivityId,
            PercentComplete = r.PercentComplete,
            RecordType = r.RecordType,
            CurrentOperation = r.CurrentOperation,
            SecondsRemaining = r.SecondsRemaining,
        };

        public IEnumerable<ProgressRecord> Update(ProgressEvent e)
        {
            foreach (ProgressRecord r in UpdateRecords(e)) yield return Snapshot(r);
        }

        public IEnumerable<ProgressRecord> Complete()
        {
            foreach (ProgressRecord r in CompleteRecords()) yield return Snapshot(r);
        }

        private IEnumerable<ProgressRecord> UpdateRecords(ProgressEvent e)
        {
            string phase = e.Phase ?? "working";
            string amount = e.Total > 0 ? Size(e.Current) + " / " + Size(e.Total) : (e.Current > 0 ? Size(e.Current) : "");
            bool perObject = e.Id != null && (e.Id.StartsWith("sha256:", StringComparison.Ordinal) || phase == "download" || phase == "unpack" || phase == "verify");
            if (!perObject)
            {
                _parent.StatusDescription = e.Message ?? (phase + (e.Id != null ? " " + e.Id : ""));
                yield return _parent;
                yield break;
            }
            if (!_children.TryGetValue(e.Id, out ProgressRecord r))
            {
                r = new ProgressRecord(_nextId++, "Layer " + ShortName(e.Id), "Waiting") { ParentActivityId = ParentId };
                _children[e.Id] = r;
            }
            r.StatusDescription = (char.ToUpperInvariant(phase[0]) + phase.Substring(1)) + (amount.Length > 0 ? " " + amount : "") +
                                  (e.Message != null ? " — " + e.Message : "");
            r.PercentComplete = e.Total > 0 ? (int)Math.Min(100, e.Current * 100 / e.Total) : -1;
            bool done = phase == "done" || phase == "exists" || phase == "commit" && e.Total > 0 && e.Current >= e.Total;
            r.RecordType = done ? ProgressRecordType.Completed : ProgressRecordType.Processing;
            _parent.StatusDescription = _children.Count + " layer(s)";
            yield return r;
        }

        private IEnumerable<ProgressRecord> CompleteRecords()
        {
            foreach (ProgressRecord r in _children.Values)
            {
                if (r.RecordType == ProgressRecordType.Completed) continue;
                r.RecordType = ProgressRecordType.Completed;
                yield return r;
            }
            _parent.RecordType = ProgressRecordType.Completed;
            yield return _parent;
        }
    }
}
