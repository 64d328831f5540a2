using System;
using System.Collections.Generic;
using Berth.Interop;

namespace Berth.Model
{
    /// <summary>What Clear-ContainerImage (berth_prune) removed.</summary>
    public sealed class ContainerStorePruneResult
    {
        public long BlobsRemoved { get; set; }
        public long ImagesRemoved { get; set; }
        public string[] ImageIdsRemoved { get; set; } = new string[0];
        public long BytesFreed { get; set; }
        public long LeasesSwept { get; set; }
        public string StoreRoot { get; set; }

        internal static ContainerStorePruneResult FromJson(IDictionary<string, object> o, string root)
        {
            string[] ids = Json.Strings(o, "images_removed");
            return new ContainerStorePruneResult
            {
                BlobsRemoved = Json.Long(o, "blobs_removed") ?? 0,
                ImageIdsRemoved = ids,
                ImagesRemoved = ids.Length > 0 ? ids.Length : (Json.Long(o, "images_removed") ?? 0),
                BytesFreed = Json.Long(o, "bytes_freed") ?? 0,
                LeasesSwept = Json.Long(o, "leases_swept") ?? 0,
                StoreRoot = root,
            };
        }
    }

    /// <summary>The "fsck" report of Test-ContainerStore, with one readable line per problem.</summary>
    public sealed class ContainerStoreReport
    {
        public string StoreRoot { get; set; }
        public bool Healthy { get; set; }
        public bool Repaired { get; set; }
        public string[] Problems { get; set; } = new string[0];
        public long BlobsChecked { get; set; }
        public long BytesChecked { get; set; }
        public int CorruptBlobs { get; set; }
        public int MissingBlobs { get; set; }
        public int StrayFiles { get; set; }
        public int PartialDownloads { get; set; }
        public string[] Removed { get; set; } = new string[0];

        internal static ContainerStoreReport FromJson(IDictionary<string, object> o, string root, bool repair)
        {
            var problems = new List<string>();
            var corrupt = Json.List(Json.Get(o, "corrupt"));
            foreach (object x in corrupt)
            {
                var d = Json.Obj(x);
                string used = string.Join(", ", Json.Strings(d, "images"));
                problems.Add("corrupt blob " + Json.Str(d, "digest") + ": its bytes hash to " + Json.Str(d, "actual") +
                             (used.Length > 0 ? " (used by " + used + ")" : ""));
            }
            var missing = Json.List(Json.Get(o, "missing"));
            foreach (object x in missing)
            {
                var d = Json.Obj(x);
                problems.Add("image " + Json.Str(d, "image") + " lacks its " + Json.Str(d, "kind") + " blob " + Json.Str(d, "digest"));
            }
            string[] stray = Json.Strings(o, "stray");
            foreach (string x in stray) problems.Add("stray file " + x);
            foreach (string x in Json.Strings(o, "database")) problems.Add("database: " + x);
            bool? ok = Json.Bool(o, "ok");
            return new ContainerStoreReport
            {
                StoreRoot = root,
                Problems = problems.ToArray(),
                Healthy = ok ?? problems.Count == 0,
                Repaired = Json.Bool(o, "repaired") ?? repair,
                BlobsChecked = Json.Long(o, "blobs_checked") ?? 0,
                BytesChecked = Json.Long(o, "bytes_checked") ?? 0,
                CorruptBlobs = corrupt.Count,
                MissingBlobs = missing.Count,
                StrayFiles = stray.Length,
                PartialDownloads = Json.List(Json.Get(o, "partials")).Count,
                Removed = Json.Strings(o, "removed"),
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
