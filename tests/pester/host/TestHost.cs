// The PSHost of the test host: a console that the formatting engine writes to (so Out-Default
// renders the module's table views exactly as pwsh would), that records every progress record,
// and that can capture what is written so a test can read a rendered view.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Text;

namespace Berth.TestHost
{
    internal sealed class TestHost : PSHost, IHostSupportsInteractiveSession
    {
        private readonly TestHostUI _ui;
        private readonly PSObject _privateData;
        private readonly Guid _id = Guid.NewGuid();

        public TestHost()
        {
            Data = new HostData();
            _ui = new TestHostUI(Data);
            _privateData = PSObject.AsPSObject(Data);
        }

        public HostData Data { get; }
        public int? ExitCode { get; private set; }

        public override string Name => "BerthTestHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId => _id;
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override PSObject PrivateData => _privateData;

        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
        public override void EnterNestedPrompt() => throw new NotSupportedException("BerthTestHost is not interactive.");
        public override void ExitNestedPrompt() => throw new NotSupportedException("BerthTestHost is not interactive.");
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }

        public bool IsRunspacePushed => false;
        public System.Management.Automation.Runspaces.Runspace Runspace => null;
        public void PushRunspace(System.Management.Automation.Runspaces.Runspace runspace) => throw new NotSupportedException();
        public void PopRunspace() => throw new NotSupportedException();
    }

    /// <summary>Reachable from scripts as $Host.PrivateData.</summary>
    public sealed class HostData
    {
        private readonly object _gate = new object();
        private StringBuilder _capture;

        /// <summary>Every progress record written to this host, in order.</summary>
        public List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();

        /// <summary>Print progress records as lines on stderr (the demo sets this).</summary>
        public bool ShowProgress { get; set; } = Environment.GetEnvironmentVariable("BERTH_HOST_SHOW_PROGRESS") == "1";

        /// <summary>From now on keep what the host is asked to write instead of printing it.</summary>
        public void StartCapture() { lock (_gate) _capture = new StringBuilder(); }

        /// <summary>Stop capturing; returns what was written since StartCapture.</summary>
        public string StopCapture()
        {
            lock (_gate)
            {
                string text = _capture?.ToString() ?? string.Empty;
                _capture = null;
                return text;
            }
        }

        internal bool TryCapture(string text)
        {
            lock (_gate)
            {
                if (_capture == null) return false;
                _capture.Append(text);
                return true;
            }
        }

        internal void AddProgress(ProgressRecord record)
        {
            lock (_gate) Progress.Add(record);
        }
    }

    internal sealed class TestHostUI : PSHostUserInterface
    {
        private readonly HostData _data;
        private readonly TestRawUI _raw = new TestRawUI();

        public TestHostUI(HostData data) { _data = data; }

        public override PSHostRawUserInterface RawUI => _raw;

        // pwsh's console host strips escape sequences when output is plain text; so does this
        // host (logs and rendered views must not hold them) unless BERTH_HOST_ANSI=1.
        private static readonly bool KeepAnsi = Environment.GetEnvironmentVariable("BERTH_HOST_ANSI") == "1";
        private static readonly System.Text.RegularExpressions.Regex Ansi =
            new System.Text.RegularExpressions.Regex("\x1b\\[[0-9;?]*[A-Za-z]");

        private static string Plain(string text) => KeepAnsi || text == null ? text : Ansi.Replace(text, "");

        private void Out(string text)
        {
            text = Plain(text);
            if (!_data.TryCapture(text)) Console.Out.Write(text);
        }

        public override void Write(string value) => Out(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Out(value);
        public override void WriteLine(string value) => Out(value + "\n");
        public override void WriteErrorLine(string value)
        {
            value = Plain(value);
            if (!_data.TryCapture(value + "\n")) Console.Error.WriteLine(value);
        }
        public override void WriteDebugLine(string message) => Out("DEBUG: " + message + "\n");
        public override void WriteVerboseLine(string message) => Out("VERBOSE: " + message + "\n");
        public override void WriteWarningLine(string message) => Out("WARNING: " + message + "\n");

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            _data.AddProgress(record);
            if (_data.ShowProgress)
            {
                string pct = record.PercentComplete >= 0 ? " " + record.PercentComplete + "%" : "";
                Console.Error.WriteLine("  [" + record.Activity + "] " + record.StatusDescription + pct +
                                        (record.RecordType == ProgressRecordType.Completed ? " (done)" : ""));
            }
        }

        // Non-interactive: anything that would wait for a person fails loudly instead of hanging.
        public override string ReadLine() => throw new NotSupportedException("BerthTestHost is not interactive: ReadLine.");
        public override System.Security.SecureString ReadLineAsSecureString() => throw new NotSupportedException("BerthTestHost is not interactive: ReadLineAsSecureString.");
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions)
            => throw new NotSupportedException("BerthTestHost is not interactive: Prompt (" + caption + ").");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
            => throw new NotSupportedException("BerthTestHost is not interactive: PromptForCredential.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
            => throw new NotSupportedException("BerthTestHost is not interactive: PromptForCredential.");
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice)
            => throw new NotSupportedException("BerthTestHost is not interactive: PromptForChoice (" + caption + ": " + message + ").");
    }

    internal sealed class TestRawUI : PSHostRawUserInterface
    {
        // A fixed 120-column console, so rendered tables are the same on every machine.
        private Size _buffer = new Size(120, 3000);
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override Coordinates CursorPosition { get; set; }
        public override Coordinates WindowPosition { get; set; }
        public override int CursorSize { get; set; }
        public override Size BufferSize { get => _buffer; set => _buffer = value; }
        public override Size WindowSize { get => new Size(_buffer.Width, 50); set { } }
        public override Size MaxWindowSize => new Size(_buffer.Width, 50);
        public override Size MaxPhysicalWindowSize => new Size(_buffer.Width, 50);
        public override bool KeyAvailable => false;
        public override string WindowTitle { get; set; } = "BerthTestHost";
        public override void FlushInputBuffer() { }
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("BerthTestHost is not interactive: ReadKey.");
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
    }
}
