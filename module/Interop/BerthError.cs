using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace Berth.Interop
{
    /// <summary>
    /// The one table from BERTH_E* codes to what PowerShell shows: the .NET exception type
    /// (so `catch [System.Management.Automation.ItemNotFoundException]` works), the ErrorCategory,
    /// a stable error id and the recommended action. Everything that turns a native failure into
    /// an ErrorRecord goes through here (LibGit2Sharp's Ensure.cs is the model).
    /// </summary>
    public static class BerthError
    {
        public const int Ok = 0, Error = -1, NoMemory = -2, NotFound = -3, Exists = -4, Invalid = -5,
            Auth = -6, Digest = -7, Platform = -8, Busy = -9, Canceled = -10, Network = -11,
            Unsupported = -12, State = -13, Unsafe = -14;

        /// <summary>Not a native code: the loaded libberth lacks the function (an older or partial build).</summary>
        public const int MissingEntryPoint = -1000;
        /// <summary>Not a native code: libberth itself could not be loaded.</summary>
        public const int MissingLibrary = -1001;

        internal sealed class Entry
        {
            public Entry(string id, ErrorCategory category, Func<string, Exception> make, string action)
            { ErrorId = id; Category = category; Make = make; RecommendedAction = action; }
            public string ErrorId { get; }
            public ErrorCategory Category { get; }
            public Func<string, Exception> Make { get; }
            public string RecommendedAction { get; }
        }

        private static readonly Dictionary<int, Entry> Table = new Dictionary<int, Entry>
        {
            [Error] = new Entry("BerthError", ErrorCategory.InvalidOperation, m => new InvalidOperationException(m),
                "Read the message: it names the step and the object that failed."),
            [NoMemory] = new Entry("BerthOutOfMemory", ErrorCategory.ResourceUnavailable, m => new OutOfMemoryException(m),
                "Free memory and try again."),
            [NotFound] = new Entry("BerthNotFound", ErrorCategory.ObjectNotFound, m => new ItemNotFoundException(m),
                "Check the name: Get-ContainerImage and Get-Container list what the store holds; for a registry, check the repository and tag."),
            [Exists] = new Entry("BerthAlreadyExists", ErrorCategory.ResourceExists, m => new InvalidOperationException(m),
                "Choose another name, or remove the existing object first."),
            [Invalid] = new Entry("BerthInvalidArgument", ErrorCategory.InvalidArgument, m => new ArgumentException(m),
                "Correct the argument; an image reference looks like registry/repository:tag or repository@sha256:<digest>."),
            [Auth] = new Entry("BerthAuthenticationFailed", ErrorCategory.AuthenticationError, m => new UnauthorizedAccessException(m),
                "Run Connect-ContainerRegistry with a user name and password the registry accepts."),
            [Digest] = new Entry("BerthDigestMismatch", ErrorCategory.InvalidData, m => new System.IO.InvalidDataException(m),
                "Pull again; nothing corrupt was kept. If it repeats, check proxies between you and the registry."),
            [Platform] = new Entry("BerthPlatformMismatch", ErrorCategory.InvalidOperation, m => new PlatformNotSupportedException(m),
                "Choose another tag, or pass -Platform / -Isolation for an image this host can run."),
            [Busy] = new Entry("BerthBusy", ErrorCategory.ResourceBusy, m => new InvalidOperationException(m),
                "Another process holds the store or the object is in use (an image used by a container); wait, stop the user, or use -Force."),
            [Canceled] = new Entry("BerthCanceled", ErrorCategory.OperationStopped, m => new OperationCanceledException(m),
                "The operation was cancelled; run it again to resume. Nothing half-written was kept."),
            [Network] = new Entry("BerthNetworkError", ErrorCategory.ConnectionError, m => new System.IO.IOException(m),
                "Check that the registry is reachable (address, port, TLS, proxy) and try again; a pull resumes where it stopped."),
            [Unsupported] = new Entry("BerthNotSupported", ErrorCategory.NotImplemented, m => new NotSupportedException(m),
                "This media type or feature is not supported on this host."),
            [State] = new Entry("BerthWrongState", ErrorCategory.InvalidOperation, m => new InvalidOperationException(m),
                "Check the container's Status with Get-Container; start or stop it first."),
            [Unsafe] = new Entry("BerthUnsafeContent", ErrorCategory.SecurityError, m => new System.Security.SecurityException(m),
                "The content was refused as hostile (a layer escaping its root, an archive bomb); do not use this image."),
            [MissingEntryPoint] = new Entry("BerthNativeCallMissing", ErrorCategory.NotImplemented, m => new NotImplementedException(m),
                "The loaded libberth does not provide this call yet; build or install a newer libberth."),
            [MissingLibrary] = new Entry("BerthLibraryNotFound", ErrorCategory.NotInstalled, m => new DllNotFoundException(m),
                "Put libberth.so (Linux) or berth.dll (Windows) next to Berth.PowerShell.dll, or on the library search path."),
        };

        internal static Entry For(int code) => Table.TryGetValue(code, out Entry e) ? e : Table[Error];

        /// <summary>The exception for a native failure, carrying everything the ErrorRecord needs.</summary>
        public static BerthException Exception(int code, string message)
        {
            Entry e = For(code);
            if (string.IsNullOrEmpty(message)) message = "libberth failed with " + Name(code) + ".";
            return new BerthException(code, e.ErrorId, e.Category, e.RecommendedAction, e.Make(message), message);
        }

        /// <summary>The BERTH_E* name of a code, from the library when it can say.</summary>
        public static string Name(int code)
        {
            if (code == MissingEntryPoint) return "missing entry point";
            if (code == MissingLibrary) return "missing library";
            try { return Utf8.Read(Native.berth_strerror(code)) ?? code.ToString(); }
            catch (Exception) { return code.ToString(); }
        }
    }

    /// <summary>A failure from libberth. Inner is the typed exception of the table; the ErrorRecord
    /// built from it uses that inner exception, so catch blocks see ItemNotFoundException etc.</summary>
    public sealed class BerthException : Exception
    {
        internal BerthException(int code, string errorId, ErrorCategory category, string action, Exception typed, string message)
            : base(message, typed)
        {
            Code = code; ErrorId = errorId; Category = category; RecommendedAction = action; Typed = typed;
        }

        public int Code { get; }
        public string ErrorId { get; }
        public ErrorCategory Category { get; }
        public string RecommendedAction { get; }
        public Exception Typed { get; }

        public ErrorRecord ToErrorRecord(object target)
        {
            var record = new ErrorRecord(Typed, ErrorId, Category, target);
            record.ErrorDetails = new ErrorDetails(Message) { RecommendedAction = RecommendedAction };
            return record;
        }
    }
}
