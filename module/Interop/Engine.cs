using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Berth.Model;

namespace Berth.Interop
{
    /// <summary>
    /// The one class the cmdlets and the provider call: opens a store root, turns each native call
    /// into a typed result or a BerthException (through BerthError's table), and owns the
    /// marshalling of strings, options structs and callbacks. Each method reads berth_errmsg on
    /// the thread that made the call, since the message is thread-local.
    /// </summary>
    public sealed class Engine : IDisposable
    {
        private readonly StoreHandle _handle;

        private Engine(StoreHandle handle, string root) { _handle = handle; Root = root; }

        /// <summary>The absolute store root this engine opened.</summary>
        public string Root { get; }

        /// <summary>Opens (creating if needed) the store; null root: $BERTH_ROOT, else the platform default.</summary>
        public static Engine Open(string root)
        {
            StoreHandle h = null;
            Call("berth_open", () => Check(Native.berth_open(out h, Utf8.Bytes(root))));
            string actual = Call("berth_root", () => Utf8.Read(Native.berth_root(h)));
            return new Engine(h, actual ?? root);
        }

        public void Dispose() => _handle.Dispose();

        // ---- plumbing ---------------------------------------------------------------------

        private static void Check(int rc)
        {
            if (rc != 0) throw BerthError.Exception(rc, Utf8.Read(Native.berth_errmsg()));
        }

        /// <summary>Runs a native call, mapping a missing library or entry point to the table's
        /// "not provided by this libberth" errors instead of a raw loader exception.</summary>
        private static T Call<T>(string function, Func<T> body)
        {
            try { return body(); }
            catch (EntryPointNotFoundException)
            {
                throw BerthError.Exception(BerthError.MissingEntryPoint,
                    "The loaded libberth has no " + function + " (it is older than this module, or a partial build); build or install a libberth that provides it.");
            }
            catch (DllNotFoundException e)
            {
                throw BerthError.Exception(BerthError.MissingLibrary,
                    "Could not load the native library libberth (" + e.Message + ").");
            }
        }

        private static void Call(string function, Action body) => Call(function, () => { body(); return 0; });

        private static object TakeJson(IntPtr p) => Json.Parse(Utf8.Take(p));

        /// <summary>True when the loaded libberth exports the function (for tests and diagnostics).</summary>
        public static bool HasFunction(string function)
        {
            // Calling a harmless function first makes sure the library itself is loaded.
            try { Native.berth_version(); } catch (Exception) { return false; }
            try { return ProbeByName(function); } catch (Exception) { return false; }
        }

        // netstandard2.0 has no NativeLibrary; dlsym/GetProcAddress on the already-loaded library answer.
        [DllImport("libdl.so.2", EntryPoint = "dlopen")] private static extern IntPtr dlopen(string file, int mode);
        [DllImport("libdl.so.2", EntryPoint = "dlsym")] private static extern IntPtr dlsym(IntPtr h, string name);
        [DllImport("kernel32", EntryPoint = "GetModuleHandleW", CharSet = CharSet.Unicode)] private static extern IntPtr GetModuleHandle(string name);
        [DllImport("kernel32", EntryPoint = "GetProcAddress", CharSet = CharSet.Ansi)] private static extern IntPtr GetProcAddress(IntPtr h, string name);

        private static bool ProbeByName(string function)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                IntPtr m = GetModuleHandle("berth.dll");
                return m != IntPtr.Zero && GetProcAddress(m, function) != IntPtr.Zero;
            }
            IntPtr self = dlopen(null, 2 /* RTLD_NOW */);
            if (self != IntPtr.Zero && dlsym(self, function) != IntPtr.Zero) return true;
            // .NET loads "berth" from the module folder first, else by name from the search path.
            string beside = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(Engine).Assembly.Location) ?? ".", "libberth.so");
            foreach (string candidate in new[] { beside, "libberth.so" })
            {
                IntPtr lib = dlopen(candidate, 2 | 4 /* RTLD_NOW | RTLD_NOLOAD: only if already loaded */);
                if (lib != IntPtr.Zero) return dlsym(lib, function) != IntPtr.Zero;
            }
            return false;
        }

        /// <summary>Wraps a managed progress handler as the native callback. The handler returns
        /// false to cancel; an exception inside it also cancels (it must never unwind into C).</summary>
        private sealed class ProgressBridge
        {
            private readonly Func<ProgressEvent, bool> _handler;
            public readonly Native.ProgressFn Fn;
            public Exception Failure;

            public ProgressBridge(Func<ProgressEvent, bool> handler)
            {
                _handler = handler;
                Fn = OnProgress;
            }

            public IntPtr Pointer => _handler == null ? IntPtr.Zero : Marshal.GetFunctionPointerForDelegate(Fn);

            private int OnProgress(IntPtr p, IntPtr payload)
            {
                try
                {
                    var raw = (Native.Progress)Marshal.PtrToStructure(p, typeof(Native.Progress));
                    var e = new ProgressEvent
                    {
                        Phase = Utf8.Read(raw.Phase),
                        Id = Utf8.Read(raw.Id),
                        Current = raw.Current,
                        Total = raw.Total,
                        Message = Utf8.Read(raw.Message),
                    };
                    return _handler(e) ? 0 : 1;
                }
                catch (Exception ex)
                {
                    Failure = ex;
                    return 1;
                }
            }
        }

        // ---- library ----------------------------------------------------------------------

        public static string Version() => Call("berth_version", () => Utf8.Read(Native.berth_version()));

        /// <summary>The library's normalised form of a reference ("reference" object).</summary>
        public static IDictionary<string, object> ParseReference(string reference) => Call("berth_reference_parse", () =>
        {
            Check(Native.berth_reference_parse(out IntPtr json, Utf8.Bytes(reference)));
            return Json.Obj(TakeJson(json));
        });

        public static IDictionary<string, object> HostPlatform() => Call("berth_platform_host", () =>
        {
            Check(Native.berth_platform_host(out IntPtr json));
            return Json.Obj(TakeJson(json));
        });

        // ---- registries -------------------------------------------------------------------

        public void Login(string registry, string user, string password) => Call("berth_login", () =>
            Check(Native.berth_login(_handle, Utf8.Bytes(registry), Utf8.Bytes(user), Utf8.Bytes(password))));

        public void Logout(string registry) => Call("berth_logout", () =>
            Check(Native.berth_logout(_handle, Utf8.Bytes(registry))));

        // ---- images -----------------------------------------------------------------------

        public List<ContainerImage> PullImage(string reference, string platform, string isolation, bool allowForeignLayers,
                                              Func<ProgressEvent, bool> onProgress) => Call("berth_image_pull", () =>
        {
            var bridge = new ProgressBridge(onProgress);
            var o = new Native.PullOptions { Version = Native.PullOptionsVersion };
            try
            {
                o.Platform = Utf8.Alloc(platform);
                o.Isolation = Utf8.Alloc(isolation);
                o.AllowForeignLayers = allowForeignLayers ? 1 : 0;
                o.Progress = bridge.Pointer;
                int rc = Native.berth_image_pull(out IntPtr json, _handle, Utf8.Bytes(reference), ref o);
                GC.KeepAlive(bridge);
                if (bridge.Failure != null && rc == BerthError.Canceled) throw bridge.Failure;
                Check(rc);
                return ContainerImage.FromJson(Json.Obj(TakeJson(json)), Root);
            }
            finally
            {
                Marshal.FreeHGlobal(o.Platform);
                Marshal.FreeHGlobal(o.Isolation);
            }
        });

        public List<ContainerImage> ListImages(string referenceGlob) => Call("berth_image_list", () =>
        {
            string filter = referenceGlob == null ? null : Json.Write(new Dictionary<string, object> { ["reference"] = referenceGlob });
            Check(Native.berth_image_list(out IntPtr json, _handle, Utf8.Bytes(filter)));
            var result = new List<ContainerImage>();
            foreach (object o in Json.List(TakeJson(json))) result.AddRange(ContainerImage.FromJson(Json.Obj(o), Root));
            return result;
        });

        /// <summary>The image_detail object; images listed per reference like ListImages.</summary>
        public List<ContainerImage> InspectImage(string name) => Call("berth_image_inspect", () =>
        {
            Check(Native.berth_image_inspect(out IntPtr json, _handle, Utf8.Bytes(name)));
            return ContainerImage.FromJson(Json.Obj(TakeJson(json)), Root);
        });

        public void TagImage(string source, string target) => Call("berth_image_tag", () =>
            Check(Native.berth_image_tag(_handle, Utf8.Bytes(source), Utf8.Bytes(target))));

        public ContainerImageRemoval RemoveImage(string name, bool force) => Call("berth_image_remove", () =>
        {
            Check(Native.berth_image_remove(out IntPtr json, _handle, Utf8.Bytes(name), force ? 1 : 0));
            var o = Json.Obj(TakeJson(json));
            return new ContainerImageRemoval { Name = name, Untagged = Json.Strings(o, "untagged"), Deleted = Json.Strings(o, "deleted") };
        });

        public void SaveImages(IList<string> references, string path, string format, Func<ProgressEvent, bool> onProgress) => Call("berth_image_save", () =>
        {
            var bridge = new ProgressBridge(onProgress);
            var o = new Native.ArchiveOptions { Version = Native.ArchiveOptionsVersion };
            try
            {
                o.Format = Utf8.Alloc(format);
                o.Progress = bridge.Pointer;
                int rc = Native.berth_image_save(_handle, Utf8.Bytes(Json.Write(references)), Utf8.Bytes(path), ref o);
                GC.KeepAlive(bridge);
                if (bridge.Failure != null && rc == BerthError.Canceled) throw bridge.Failure;
                Check(rc);
            }
            finally { Marshal.FreeHGlobal(o.Format); }
        });

        public List<ContainerImage> LoadImages(string path, string format, Func<ProgressEvent, bool> onProgress) => Call("berth_image_load", () =>
        {
            var bridge = new ProgressBridge(onProgress);
            var o = new Native.ArchiveOptions { Version = Native.ArchiveOptionsVersion };
            try
            {
                o.Format = Utf8.Alloc(format);
                o.Progress = bridge.Pointer;
                int rc = Native.berth_image_load(out IntPtr json, _handle, Utf8.Bytes(path), ref o);
                GC.KeepAlive(bridge);
                if (bridge.Failure != null && rc == BerthError.Canceled) throw bridge.Failure;
                Check(rc);
                var result = new List<ContainerImage>();
                foreach (object i in Json.List(TakeJson(json))) result.AddRange(ContainerImage.FromJson(Json.Obj(i), Root));
                return result;
            }
            finally { Marshal.FreeHGlobal(o.Format); }
        });

        public ContainerImagePush PushImage(string name, string reference, Func<ProgressEvent, bool> onProgress) => Call("berth_image_push", () =>
        {
            var bridge = new ProgressBridge(onProgress);
            var o = new Native.PushOptions { Version = Native.PushOptionsVersion, Progress = bridge.Pointer };
            int rc = Native.berth_image_push(out IntPtr json, _handle, Utf8.Bytes(name), Utf8.Bytes(reference), ref o);
            GC.KeepAlive(bridge);
            if (bridge.Failure != null && rc == BerthError.Canceled) throw bridge.Failure;
            Check(rc);
            var r = Json.Obj(TakeJson(json));
            return new ContainerImagePush { Name = name, Reference = Json.Str(r, "reference") ?? reference ?? name, Digest = Json.Str(r, "digest") };
        });

        // ---- store maintenance ------------------------------------------------------------

        public ContainerStorePruneResult Prune(bool all) => Call("berth_prune", () =>
        {
            string opts = Json.Write(new Dictionary<string, object> { ["all"] = all });
            Check(Native.berth_prune(out IntPtr json, _handle, Utf8.Bytes(opts)));
            return ContainerStorePruneResult.FromJson(Json.Obj(TakeJson(json)), Root);
        });

        public ContainerStoreReport Fsck(bool repair) => Call("berth_fsck", () =>
        {
            Check(Native.berth_fsck(out IntPtr json, _handle, repair ? 1 : 0));
            return ContainerStoreReport.FromJson(Json.Obj(TakeJson(json)), Root, repair);
        });

        // ---- containers -------------------------------------------------------------------

        public Container CreateContainer(IDictionary<string, object> spec) => Call("berth_container_create", () =>
        {
            Check(Native.berth_container_create(out IntPtr json, _handle, Utf8.Bytes(Json.Write(spec))));
            return Container.FromJson(Json.Obj(TakeJson(json)), Root);
        });

        public void StartContainer(string name) => Call("berth_container_start", () =>
            Check(Native.berth_container_start(_handle, Utf8.Bytes(name))));

        public void StopContainer(string name, int timeoutSeconds) => Call("berth_container_stop", () =>
            Check(Native.berth_container_stop(_handle, Utf8.Bytes(name), timeoutSeconds)));

        public void KillContainer(string name, string signal) => Call("berth_container_kill", () =>
            Check(Native.berth_container_kill(_handle, Utf8.Bytes(name), Utf8.Bytes(signal))));

        /// <summary>Waits for exit; returns the exit code. timeoutMs &lt; 0 waits forever.</summary>
        public int WaitContainer(string name, int timeoutMs) => Call("berth_container_wait", () =>
        {
            Check(Native.berth_container_wait(out int code, _handle, Utf8.Bytes(name), timeoutMs));
            return code;
        });

        public void RemoveContainer(string name, bool force) => Call("berth_container_remove", () =>
            Check(Native.berth_container_remove(_handle, Utf8.Bytes(name), force ? 1 : 0)));

        public List<Container> ListContainers(bool all, string status, string nameGlob) => Call("berth_container_list", () =>
        {
            var f = new Dictionary<string, object> { ["all"] = all };
            if (status != null) f["status"] = status;
            if (nameGlob != null) f["name"] = nameGlob;
            Check(Native.berth_container_list(out IntPtr json, _handle, Utf8.Bytes(Json.Write(f))));
            var result = new List<Container>();
            foreach (object o in Json.List(TakeJson(json))) result.Add(Container.FromJson(Json.Obj(o), Root));
            return result;
        });

        public Container InspectContainer(string name) => Call("berth_container_inspect", () =>
        {
            Check(Native.berth_container_inspect(out IntPtr json, _handle, Utf8.Bytes(name)));
            return Container.FromJson(Json.Obj(TakeJson(json)), Root);
        });

        /// <summary>Reads the log; onLine returns false to stop early.</summary>
        public void ContainerLogs(string name, bool follow, long tail, string since, Func<ContainerLogEntry, bool> onLine) => Call("berth_container_logs", () =>
        {
            Exception failure = null;
            Native.LogFn fn = (stream, time, line, len, payload) =>
            {
                try
                {
                    var e = new ContainerLogEntry
                    {
                        Container = name,
                        Stream = Utf8.Read(stream),
                        Line = Utf8.Read(line, checked((int)len.ToUInt64())).TrimEnd('\n', '\r'),
                    };
                    string t = Utf8.Read(time);
                    if (t != null) e.Time = Json.Time(new Dictionary<string, object> { ["t"] = t }, "t");
                    return onLine(e) ? 0 : 1;
                }
                catch (Exception ex) { failure = ex; return 1; }
            };
            var o = new Native.LogOptions { Version = Native.LogOptionsVersion, Follow = follow ? 1 : 0, Tail = tail };
            try
            {
                o.Since = Utf8.Alloc(since);
                o.OnLine = Marshal.GetFunctionPointerForDelegate(fn);
                int rc = Native.berth_container_logs(_handle, Utf8.Bytes(name), ref o);
                GC.KeepAlive(fn);
                if (failure != null) throw failure;
                if (rc == BerthError.Canceled) return;   // we asked to stop
                Check(rc);
            }
            finally { Marshal.FreeHGlobal(o.Since); }
        });

        /// <summary>Runs a process in a running container with the given file descriptors (-1: /dev/null).</summary>
        public int Exec(string name, IDictionary<string, object> spec, int stdinFd, int stdoutFd, int stderrFd) => Call("berth_container_exec", () =>
        {
            Check(Native.berth_container_exec(out int code, _handle, Utf8.Bytes(name), Utf8.Bytes(Json.Write(spec)), stdinFd, stdoutFd, stderrFd));
            return code;
        });
    }
}
