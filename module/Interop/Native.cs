using System;
using System.Runtime.InteropServices;

namespace Berth.Interop
{
    /// <summary>
    /// One line per function of native/include/berth.h. "berth" resolves to libberth.so on Linux
    /// and berth.dll on Windows, from the module folder first. Strings go in as NUL-terminated
    /// UTF-8 byte arrays (Utf8.Bytes) and come out as IntPtr released with berth_free (Utf8.Take).
    /// netstandard2.0 has no LibraryImport, hence DllImport.
    /// </summary>
    internal static class Native
    {
        private const string Lib = "berth";
        private const CallingConvention Cc = CallingConvention.Cdecl;

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int ProgressFn(IntPtr progress, IntPtr payload);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int LogFn(IntPtr stream, IntPtr time, IntPtr line, UIntPtr len, IntPtr payload);

        [StructLayout(LayoutKind.Sequential)]
        internal struct Progress
        {
            public IntPtr Phase;
            public IntPtr Id;
            public ulong Current;
            public ulong Total;
            public IntPtr Message;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct PullOptions
        {
            public uint Version;                 // BERTH_PULL_OPTIONS_VERSION
            public IntPtr Platform;
            public IntPtr Isolation;
            public int AllowForeignLayers;
            public int NoUnpack;
            public int MaxConcurrent;
            public IntPtr Progress;
            public IntPtr ProgressPayload;
        }
        internal const uint PullOptionsVersion = 1;

        [StructLayout(LayoutKind.Sequential)]
        internal struct ArchiveOptions
        {
            public uint Version;                 // BERTH_ARCHIVE_OPTIONS_VERSION
            public IntPtr Format;
            public IntPtr Progress;
            public IntPtr ProgressPayload;
        }
        internal const uint ArchiveOptionsVersion = 1;

        [StructLayout(LayoutKind.Sequential)]
        internal struct PushOptions
        {
            public uint Version;                 // BERTH_PUSH_OPTIONS_VERSION
            public IntPtr Progress;
            public IntPtr ProgressPayload;
        }
        internal const uint PushOptionsVersion = 1;

        [StructLayout(LayoutKind.Sequential)]
        internal struct LogOptions
        {
            public uint Version;                 // BERTH_LOG_OPTIONS_VERSION
            public int Follow;
            public long Tail;
            public IntPtr Since;
            public IntPtr OnLine;
            public IntPtr Payload;
        }
        internal const uint LogOptionsVersion = 1;

        // library, errors, memory
        [DllImport(Lib, CallingConvention = Cc)] internal static extern IntPtr berth_version();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern IntPtr berth_errmsg();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_errcode();
        [DllImport(Lib, CallingConvention = Cc)] internal static extern IntPtr berth_strerror(int code);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void berth_free(IntPtr p);

        // store
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_open(out StoreHandle handle, byte[] root);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern void berth_close(IntPtr b);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern IntPtr berth_root(StoreHandle b);

        // references and platforms
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_reference_parse(out IntPtr json, byte[] reference);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_platform_host(out IntPtr json);

        // registries
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_login(StoreHandle b, byte[] registry, byte[] username, byte[] password);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_logout(StoreHandle b, byte[] registry);

        // images
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_image_pull(out IntPtr json, StoreHandle b, byte[] reference, ref PullOptions options);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_image_list(out IntPtr json, StoreHandle b, byte[] filterJson);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_image_inspect(out IntPtr json, StoreHandle b, byte[] name);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_image_tag(StoreHandle b, byte[] source, byte[] target);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_image_remove(out IntPtr json, StoreHandle b, byte[] name, int force);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_image_save(StoreHandle b, byte[] refsJson, byte[] path, ref ArchiveOptions options);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_image_load(out IntPtr json, StoreHandle b, byte[] path, ref ArchiveOptions options);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_image_push(out IntPtr json, StoreHandle b, byte[] name, byte[] reference, ref PushOptions options);

        // store maintenance
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_prune(out IntPtr json, StoreHandle b, byte[] optionsJson);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_fsck(out IntPtr json, StoreHandle b, int repair);

        // containers
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_container_create(out IntPtr json, StoreHandle b, byte[] specJson);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_container_plan(out IntPtr json, StoreHandle b, byte[] specJson);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_container_start(StoreHandle b, byte[] name);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_container_stop(StoreHandle b, byte[] name, int timeoutSeconds);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_container_kill(StoreHandle b, byte[] name, byte[] signal);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_container_wait(out int exitCode, StoreHandle b, byte[] name, int timeoutMs);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_container_remove(StoreHandle b, byte[] name, int force);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_container_list(out IntPtr json, StoreHandle b, byte[] filterJson);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_container_inspect(out IntPtr json, StoreHandle b, byte[] name);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_container_logs(StoreHandle b, byte[] name, ref LogOptions options);
        [DllImport(Lib, CallingConvention = Cc)] internal static extern int berth_container_exec(out int exitCode, StoreHandle b, byte[] name, byte[] specJson, int stdinFd, int stdoutFd, int stderrFd);
    }
}
