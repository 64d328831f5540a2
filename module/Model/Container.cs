using System;
using System.Collections.Generic;
using Berth.Interop;

namespace Berth.Model
{
    /// <summary>A container, read from the "container" object of docs/api.md.</summary>
    public sealed class Container
    {
        public string Id { get; set; }
        public string ShortId => ImageReference.ShortId(Id);
        public string Name { get; set; }
        public string Image { get; set; }
        public string ImageId { get; set; }
        /// <summary>created, running, restarting (a restart policy backs off) or exited.</summary>
        public string Status { get; set; }
        /// <summary>docker's human status: "Up 5 seconds", "Exited (0) 3 minutes ago".</summary>
        public string StatusText { get; set; }
        public string Error { get; set; }
        public string LogPath { get; set; }
        public System.Collections.Hashtable Labels { get; set; } = new System.Collections.Hashtable();
        public string[] Command { get; set; } = new string[0];
        public DateTime? Created { get; set; }
        public DateTime? StartedAt { get; set; }
        public DateTime? FinishedAt { get; set; }
        public int? ExitCode { get; set; }
        public long? Pid { get; set; }
        public string Runtime { get; set; }
        /// <summary>no, on-failure[:N], always or unless-stopped.</summary>
        public string RestartPolicy { get; set; }
        /// <summary>How often the monitor restarted it since its last start.</summary>
        public int RestartCount { get; set; }
        public string StoreRoot { get; set; }

        public override string ToString() => Name ?? Id;

        private static System.Collections.Hashtable ReadLabels(IDictionary<string, object> o)
        {
            var h = new System.Collections.Hashtable();
            if (Json.Get(o, "labels") is IDictionary<string, object> d)
                foreach (var kv in d) h[kv.Key] = kv.Value;
            return h;
        }

        internal static Container FromJson(IDictionary<string, object> o, string root)
        {
            if (o == null) return null;
            long? exit = Json.Long(o, "exit_code", "exitcode");
            return new Container
            {
                Id = Json.Str(o, "id"),
                Name = Json.Str(o, "name"),
                Image = Json.Str(o, "image", "image_reference", "reference"),
                ImageId = Json.Str(o, "image_id"),
                Status = Json.Str(o, "state", "status"),
                StatusText = Json.Str(o, "status"),
                Error = Json.Str(o, "error"),
                LogPath = Json.Str(o, "log_path"),
                Labels = ReadLabels(o),
                Command = Json.Strings(o, "cmd", "command", "args"),
                Created = Json.Time(o, "created", "created_at"),
                StartedAt = Json.Time(o, "started_at", "started", "state.started_at"),
                FinishedAt = Json.Time(o, "finished_at", "finished", "state.finished_at"),
                ExitCode = exit.HasValue ? (int)exit.Value : (int?)null,
                Pid = Json.Long(o, "pid", "state.pid"),
                Runtime = Json.Str(o, "runtime"),
                RestartPolicy = Json.Str(o, "restart_policy") ?? "no",
                RestartCount = (int)(Json.Long(o, "restart_count") ?? 0),
                StoreRoot = root,
            };
        }
    }

    /// <summary>One line of a container's log.</summary>
    public sealed class ContainerLogEntry
    {
        public string Container { get; set; }
        public string Stream { get; set; }
        public DateTime? Time { get; set; }
        public string Line { get; set; }
        public override string ToString() => Line;
    }
}
