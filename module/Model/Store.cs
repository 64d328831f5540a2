using System;
using System.Collections.Generic;
using Berth.Interop;

namespace Berth.Model
{
    /// <summary>What Clear-ContainerImage (berth_prune) removed.</summary>
    public sealed class ContainerStorePruneResult
    {
        public long BlobsRemoved { get; set; }
        public long LayersRemoved { get; set; }
        public long ImagesRemoved { get; set; }
        public long BytesFreed { get; set; }
        public string StoreRoot { get; set; }

        internal static ContainerStorePruneResult FromJson(IDictionary<string, object> o, string root) => new ContainerStorePruneResult
        {
            BlobsRemoved = Json.Long(o, "blobs_removed") ?? 0,
            LayersRemoved = Json.Long(o, "layers_removed") ?? 0,
            ImagesRemoved = Json.Long(o, "images_removed") ?? 0,
            BytesFreed = Json.Long(o, "bytes_freed") ?? 0,
            StoreRoot = root,
        };
    }

    /// <summary>The "fsck" report of Test-ContainerStore.</summary>
    public sealed class ContainerStoreReport
    {
        public string StoreRoot { get; set; }
        public bool Healthy { get; set; }
        public bool Repaired { get; set; }
        public string[] Problems { get; set; } = new string[0];
        public long BlobsChecked { get; set; }
        public long LayersChecked { get; set; }
        public long ImagesChecked { get; set; }

        internal static ContainerStoreReport FromJson(IDictionary<string, object> o, string root, bool repair)
        {
            var problems = new List<string>();
            foreach (object p in Json.List(Json.Get(o, "problems", "errors", "issues")))
            {
                if (p is IDictionary<string, object> d)
                    problems.Add(Json.Str(d, "message", "text", "detail") ?? Json.Write(d));
                else if (p != null)
                    problems.Add(Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture));
            }
            bool? ok = Json.Bool(o, "ok", "healthy", "clean");
            return new ContainerStoreReport
            {
                StoreRoot = root,
                Problems = problems.ToArray(),
                Healthy = ok ?? problems.Count == 0,
                Repaired = repair,
                BlobsChecked = Json.Long(o, "blobs", "blobs_checked") ?? 0,
                LayersChecked = Json.Long(o, "layers", "layers_checked") ?? 0,
                ImagesChecked = Json.Long(o, "images", "images_checked") ?? 0,
            };
        }
    }

    /// <summary>Connect-ContainerRegistry -PassThru.</summary>
    public sealed class ContainerRegistryLogin
    {
        public string Registry { get; set; }
        public string UserName { get; set; }
    }

    /// <summary>One progress event from the library, as the cmdlets see it.</summary>
    public sealed class ProgressEvent
    {
        public string Phase { get; set; }
        public string Id { get; set; }
        public ulong Current { get; set; }
        public ulong Total { get; set; }
        public string Message { get; set; }
    }
}
