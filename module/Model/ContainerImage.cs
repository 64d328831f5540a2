using System;
using System.Collections.Generic;
using Berth.Interop;

namespace Berth.Model
{
    /// <summary>One image under one name (repository:tag), as `docker images` shows a row per tag.
    /// An image with three tags is three objects sharing an Id; an untagged image is one object
    /// with no Repository/Tag. Read from the "image" object of docs/api.md.</summary>
    public sealed class ContainerImage
    {
        public string Id { get; set; }
        public string ShortId => ImageReference.ShortId(Id);
        public string Reference { get; set; }
        public string Repository { get; set; }
        public string Tag { get; set; }
        public string Digest { get; set; }
        public string[] Tags { get; set; } = new string[0];
        public long Size { get; set; }
        public DateTime? Created { get; set; }
        public string Os { get; set; }
        public string Architecture { get; set; }
        public string Variant { get; set; }
        public string OsVersion { get; set; }
        public int LayerCount { get; set; }
        public string StoreRoot { get; set; }

        /// <summary>"linux/amd64", "windows/amd64:10.0.20348.2340".</summary>
        public string Platform
        {
            get
            {
                if (Os == null) return null;
                string p = Os + "/" + Architecture + (string.IsNullOrEmpty(Variant) ? "" : "/" + Variant);
                return string.IsNullOrEmpty(OsVersion) ? p : p + ":" + OsVersion;
            }
        }

        /// <summary>The name to hand back to the library: the reference, else the image id.</summary>
        public string Name => Reference ?? Id;

        public override string ToString() => Reference ?? Id;

        /// <summary>One object per reference of the image (or one untagged object).</summary>
        internal static List<ContainerImage> FromJson(IDictionary<string, object> o, string root)
        {
            var result = new List<ContainerImage>();
            if (o == null) return result;
            string[] refs = Json.Strings(o, "references", "tags", "repo_tags", "names");
            string single = Json.Str(o, "reference", "name");
            if (refs.Length == 0 && single != null) refs = new[] { single };
            if (refs.Length == 0) refs = new string[] { null };
            foreach (string r in refs)
            {
                var img = new ContainerImage
                {
                    Id = Json.Str(o, "id", "image_id", "config_digest", "config.digest"),
                    Digest = Json.Str(o, "digest", "manifest_digest", "manifest.digest"),
                    Tags = Json.Strings(o, "references", "tags", "repo_tags", "names"),
                    Size = Json.Long(o, "size", "bytes") ?? 0,
                    Created = Json.Time(o, "created", "created_at"),
                    Os = Json.Str(o, "os", "platform.os"),
                    Architecture = Json.Str(o, "architecture", "arch", "platform.architecture"),
                    Variant = Json.Str(o, "variant", "platform.variant"),
                    OsVersion = Json.Str(o, "os_version", "os.version", "platform.os_version"),
                    LayerCount = Json.List(Json.Get(o, "layers")).Count,
                    StoreRoot = root,
                };
                if (img.LayerCount == 0) img.LayerCount = (int)(Json.Long(o, "layer_count") ?? 0);
                if (r != null)
                {
                    img.Reference = r;
                    ImageReference.Split(r, out string repo, out string tag, out string digest);
                    img.Repository = repo;
                    img.Tag = tag;
                    if (img.Digest == null) img.Digest = digest;
                }
                result.Add(img);
            }
            return result;
        }
    }

    /// <summary>What Remove-ContainerImage did: names untagged and image ids deleted.</summary>
    public sealed class ContainerImageRemoval
    {
        public string Name { get; set; }
        public string[] Untagged { get; set; } = new string[0];
        public string[] Deleted { get; set; } = new string[0];
    }

    /// <summary>The result of Submit-ContainerImage.</summary>
    public sealed class ContainerImagePush
    {
        public string Name { get; set; }
        public string Reference { get; set; }
        public string Digest { get; set; }
    }
}
