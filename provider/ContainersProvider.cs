using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Provider;
using Berth.Commands;
using Berth.Interop;
using Berth.Model;

namespace Berth.Provider
{
    /// <summary>
    /// The Containers: drive. Layout:
    ///   Containers:\Images\&lt;registry&gt;\&lt;repository parts…&gt;\&lt;tag&gt;   → ContainerImage
    ///   Containers:\Containers\&lt;name&gt;                                  → Container
    /// Item names never hold '/' or ':' (they would break PowerShell paths): repository parts become
    /// folders, a registry's "host:port" reads "host_port", and an image known only by digest
    /// reads "sha256-&lt;hex&gt;". Paths are matched by encoding what the store lists, never decoded,
    /// so no name is guessed. Get-ChildItem, Get-Item, Test-Path and Remove-Item map onto the same
    /// Engine calls as the cmdlets; removal asks ShouldProcess.
    /// </summary>
    [CmdletProvider("Containers", ProviderCapabilities.ShouldProcess)]
    [OutputType(typeof(ContainerImage), typeof(Container), typeof(ContainerFolder), ProviderCmdlet = ProviderCmdlet.GetChildItem)]
    public sealed class ContainersProvider : NavigationCmdletProvider
    {
        private const string ImagesFolder = "Images";
        private const string ContainersFolder = "Containers";

        protected override Collection<PSDriveInfo> InitializeDefaultDrives() =>
            new Collection<PSDriveInfo> { new ContainersDriveInfo(new PSDriveInfo("Containers", ProviderInfo, "", "Berth images and containers", null), null) };

        protected override PSDriveInfo NewDrive(PSDriveInfo drive)
        {
            // New-PSDrive -PSProvider Containers -Name Lab -Root '' -StoreRoot /srv/berth
            var p = DynamicParameters as NewDriveParameters;
            return new ContainersDriveInfo(drive, p?.StoreRoot);
        }

        protected override object NewDriveDynamicParameters() => new NewDriveParameters();

        protected override bool IsValidPath(string path) => true;

        // ---- path model ---------------------------------------------------------------------

        private static string[] Parts(string path)
        {
            string p = (path ?? "").Replace('/', '\\');
            int colon = p.IndexOf(":\\", StringComparison.Ordinal);
            if (colon >= 0 && p.IndexOf('\\') > colon) p = p.Substring(colon + 2);   // drive-qualified
            var parts = new List<string>();
            foreach (string s in p.Split('\\')) if (s.Length > 0) parts.Add(s);
            return parts.ToArray();
        }

        /// <summary>"127.0.0.1:5000/berth/small:v1" → ["127.0.0.1_5000", "berth", "small", "v1"].</summary>
        internal static string[] ImageParts(ContainerImage image)
        {
            if (image.Reference == null) return null;
            ImageReference.Split(image.Reference, out string repo, out string tag, out string digest);
            var parts = new List<string>(repo.Split('/'));
            parts[0] = parts[0].Replace(':', '_');
            parts.Add(tag ?? (digest ?? image.Id ?? "").Replace(':', '-'));
            return parts.ToArray();
        }

        private static bool StartsWith(string[] whole, string[] prefix, int offset)
        {
            if (whole.Length < prefix.Length - offset) return false;
            for (int i = offset; i < prefix.Length; i++)
                if (!string.Equals(whole[i - offset], prefix[i], StringComparison.OrdinalIgnoreCase)) return false;
            return true;
        }

        private string StoreRoot()
        {
            string root = (PSDriveInfo as ContainersDriveInfo)?.StoreRoot;
            return string.IsNullOrEmpty(root) ? BerthCmdlet.ResolveRoot(null, null) : root;
        }

        private T WithEngine<T>(Func<Engine, T> body, string path, T fallback)
        {
            try
            {
                using (Engine e = Engine.Open(StoreRoot())) return body(e);
            }
            catch (BerthException ex)
            {
                WriteError(ex.ToErrorRecord(path));
                return fallback;
            }
        }

        private List<ContainerImage> Images(string path) => WithEngine(e => e.ListImages(null), path, new List<ContainerImage>());

        private List<Container> ContainerList(string path) => WithEngine(e => e.ListContainers(true, null, null), path, new List<Container>());

        /// <summary>What a path names: a folder (with its children's names) or an item.</summary>
        private sealed class Node
        {
            public bool IsFolder;
            public object Item;                         // ContainerImage, Container or ContainerFolder
            public readonly List<string> Children = new List<string>();
            public readonly List<object> ChildItems = new List<object>();
            public readonly List<bool> ChildIsFolder = new List<bool>();

            /// <summary>Children in name order, as a file system lists them.</summary>
            public Node Sorted()
            {
                var order = new List<int>();
                for (int i = 0; i < Children.Count; i++) order.Add(i);
                order.Sort((a, b) => string.Compare(Children[a], Children[b], StringComparison.OrdinalIgnoreCase));
                var n = new Node { IsFolder = IsFolder, Item = Item };
                foreach (int i in order) { n.Children.Add(Children[i]); n.ChildItems.Add(ChildItems[i]); n.ChildIsFolder.Add(ChildIsFolder[i]); }
                return n;
            }
        }

        private Node Resolve(string path)
        {
            string[] parts = Parts(path);
            if (parts.Length == 0)
            {
                var root = new Node { IsFolder = true, Item = new ContainerFolder("", "\\") };
                foreach (string f in new[] { ImagesFolder, ContainersFolder })
                {
                    root.Children.Add(f);
                    root.ChildItems.Add(new ContainerFolder(f, f));
                    root.ChildIsFolder.Add(true);
                }
                return root;
            }
            if (string.Equals(parts[0], ImagesFolder, StringComparison.OrdinalIgnoreCase)) return ResolveImage(parts, path);
            if (string.Equals(parts[0], ContainersFolder, StringComparison.OrdinalIgnoreCase)) return ResolveContainer(parts, path);
            return null;
        }

        private Node ResolveImage(string[] parts, string path)
        {
            Node node = null;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (ContainerImage image in Images(path))
            {
                if (Stopping) return null;
                string[] ip = ImageParts(image);
                if (ip == null || !StartsWith(ip, parts, 1)) continue;
                int depth = parts.Length - 1;                   // parts of ip already matched
                if (depth == ip.Length) return new Node { IsFolder = false, Item = image };
                if (node == null) node = new Node { IsFolder = true, Item = new ContainerFolder(parts[parts.Length - 1], string.Join("\\", parts)) };
                string child = ip[depth];
                if (!seen.Add(child)) continue;
                bool folder = depth + 1 < ip.Length;
                node.Children.Add(child);
                node.ChildIsFolder.Add(folder);
                node.ChildItems.Add(folder ? (object)new ContainerFolder(child, string.Join("\\", parts) + "\\" + child) : image);
            }
            if (node == null && parts.Length == 1) node = new Node { IsFolder = true, Item = new ContainerFolder(ImagesFolder, ImagesFolder) };
            return node?.Sorted();
        }

        private Node ResolveContainer(string[] parts, string path)
        {
            if (parts.Length > 2) return null;
            var node = new Node { IsFolder = true, Item = new ContainerFolder(ContainersFolder, ContainersFolder) };
            foreach (Container c in ContainerList(path))
            {
                if (Stopping) return null;
                string name = c.Name ?? c.Id;
                if (parts.Length == 2)
                {
                    if (string.Equals(name, parts[1], StringComparison.OrdinalIgnoreCase)) return new Node { IsFolder = false, Item = c };
                    continue;
                }
                node.Children.Add(name);
                node.ChildItems.Add(c);
                node.ChildIsFolder.Add(false);
            }
            return parts.Length == 2 ? null : node.Sorted();
        }

        private static string Join(string path, string child)
        {
            string p = (path ?? "").TrimEnd('\\', '/');
            return p.Length == 0 ? child : p + "\\" + child;
        }

        // ---- provider verbs -----------------------------------------------------------------

        protected override bool ItemExists(string path) => Resolve(path) != null;

        protected override bool IsItemContainer(string path) => Resolve(path)?.IsFolder ?? false;

        protected override bool HasChildItems(string path)
        {
            Node n = Resolve(path);
            return n != null && n.IsFolder && n.Children.Count > 0;
        }

        protected override void GetItem(string path)
        {
            Node n = Resolve(path);
            if (n == null) { WriteNotFound(path); return; }
            WriteItemObject(n.Item, path, n.IsFolder);
        }

        protected override void GetChildItems(string path, bool recurse)
        {
            Node n = Resolve(path);
            if (n == null) { WriteNotFound(path); return; }
            if (!n.IsFolder) { WriteItemObject(n.Item, path, false); return; }
            for (int i = 0; i < n.Children.Count; i++)
            {
                if (Stopping) return;
                string child = Join(path, n.Children[i]);
                WriteItemObject(n.ChildItems[i], child, n.ChildIsFolder[i]);
                if (recurse && n.ChildIsFolder[i]) GetChildItems(child, true);
            }
        }

        protected override void GetChildNames(string path, ReturnContainers returnContainers)
        {
            Node n = Resolve(path);
            if (n == null || !n.IsFolder) return;
            for (int i = 0; i < n.Children.Count; i++)
            {
                if (Stopping) return;
                WriteItemObject(n.Children[i], Join(path, n.Children[i]), n.ChildIsFolder[i]);
            }
        }

        /// <summary>
        /// New-Item Containers:\Images -Value &lt;reference&gt; pulls the image;
        /// New-Item Containers:\Containers\&lt;name&gt; -Value &lt;image&gt; creates a container.
        /// </summary>
        protected override void NewItem(string path, string itemTypeName, object newItemValue)
        {
            string[] parts = Parts(path);
            string value = newItemValue is PSObject pso ? Convert.ToString(pso.BaseObject, System.Globalization.CultureInfo.InvariantCulture)
                                                       : Convert.ToString(newItemValue, System.Globalization.CultureInfo.InvariantCulture);
            if (parts.Length >= 1 && string.Equals(parts[0], ImagesFolder, StringComparison.OrdinalIgnoreCase))
            {
                if (string.IsNullOrEmpty(value))
                {
                    WriteError(new ErrorRecord(new ArgumentException("New-Item in Containers:\\Images needs the image reference as -Value."),
                                               "ContainersImageReferenceMissing", ErrorCategory.InvalidArgument, path));
                    return;
                }
                if (!ShouldProcess(value, "Pull image")) return;
                // The library calls back on this (the pipeline) thread, so progress can be written directly.
                var view = new ProgressView("Pulling " + value);
                List<ContainerImage> images = WithEngine(e => e.PullImage(value, null, null, false, ev =>
                {
                    if (Stopping) return false;
                    foreach (ProgressRecord r in view.Update(ev)) WriteProgress(r);
                    return !Stopping;
                }), path, null);
                if (images != null) foreach (ProgressRecord r in view.Complete()) WriteProgress(r);
                ContainerImage image = images == null ? null : BerthCmdlet.PickReference(images, value);
                if (image != null)
                {
                    string[] ip = ImageParts(image);
                    WriteItemObject(image, ImagesFolder + "\\" + string.Join("\\", ip), false);
                }
                return;
            }
            if (parts.Length == 2 && string.Equals(parts[0], ContainersFolder, StringComparison.OrdinalIgnoreCase))
            {
                if (string.IsNullOrEmpty(value))
                {
                    WriteError(new ErrorRecord(new ArgumentException("New-Item in Containers:\\Containers needs the image as -Value."),
                                               "ContainersImageMissing", ErrorCategory.InvalidArgument, path));
                    return;
                }
                if (!ShouldProcess(parts[1], "Create container from " + value)) return;
                var spec = new Dictionary<string, object> { ["image"] = value, ["name"] = parts[1] };
                Container c = WithEngine(e => e.CreateContainer(spec), path, null);
                if (c != null) WriteItemObject(c, ContainersFolder + "\\" + (c.Name ?? c.Id), false);
                return;
            }
            WriteError(new ErrorRecord(new InvalidOperationException("New-Item works in Containers:\\Images (pull) and Containers:\\Containers\\<name> (create), not at '" + path + "'."),
                                       "ContainersNewItemNotSupported", ErrorCategory.InvalidOperation, path));
        }

        protected override void RemoveItem(string path, bool recurse)
        {
            Node n = Resolve(path);
            if (n == null) { WriteNotFound(path); return; }
            if (n.IsFolder)
            {
                if (!recurse)
                {
                    WriteError(new ErrorRecord(new InvalidOperationException("'" + path + "' is a folder; use -Recurse to remove every image beneath it."),
                                               "ContainersFolderNotEmpty", ErrorCategory.InvalidOperation, path));
                    return;
                }
                for (int i = 0; i < n.Children.Count; i++)
                {
                    if (Stopping) return;
                    RemoveItem(Join(path, n.Children[i]), true);
                }
                return;
            }
            switch (n.Item)
            {
                case ContainerImage image:
                    if (!ShouldProcess(image.Reference, "Remove image")) return;
                    WithEngine(e => e.RemoveImage(image.Reference, false), path, null);
                    break;
                case Container c:
                    if (!ShouldProcess(c.Name ?? c.Id, "Remove container")) return;
                    WithEngine<object>(e => { e.RemoveContainer(c.Name ?? c.Id, false); return null; }, path, null);
                    break;
            }
        }

        private void WriteNotFound(string path)
        {
            WriteError(new ErrorRecord(new ItemNotFoundException("Cannot find '" + path + "' in the Containers: drive (store " +
                                                                 (StoreRoot() ?? "default") + ")."),
                                       "ContainersPathNotFound", ErrorCategory.ObjectNotFound, path));
        }
    }

    /// <summary>A folder of the Containers: drive (Images, a registry, a repository part).</summary>
    public sealed class ContainerFolder
    {
        public ContainerFolder(string name, string path) { Name = name; Path = path; }
        public string Name { get; }
        public string Path { get; }
        public override string ToString() => Name;
    }

    /// <summary>A Containers: drive, optionally on a store other than the default.</summary>
    public sealed class ContainersDriveInfo : PSDriveInfo
    {
        public ContainersDriveInfo(PSDriveInfo drive, string storeRoot) : base(drive) { StoreRoot = storeRoot; }
        public string StoreRoot { get; }
    }

    public sealed class NewDriveParameters
    {
        /// <summary>The store root this drive shows; default: -Root's default ($env:BERTH_ROOT, …).</summary>
        [Parameter]
        public string StoreRoot { get; set; }
    }
}
