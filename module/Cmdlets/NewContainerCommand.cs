using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using Berth.Completers;
using Berth.Interop;
using Berth.Model;

namespace Berth.Commands
{
    /// <summary>New-Container: creates a container from an image (docker create); Start-Container runs it.</summary>
    [Cmdlet(VerbsCommon.New, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "Image")]
    [Alias("nctr")]
    [OutputType(typeof(Container))]
    public sealed class NewContainerCommand : BerthCmdlet
    {
        /// <summary>The image: a reference, an id or a unique id prefix.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = "Image")]
        [Alias("Reference", "ImageName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string Image { get; set; }

        /// <summary>Run a plain directory as the root file system instead of an image (Linux).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "RootFS")]
        [ValidateNotNullOrEmpty]
        public string RootFS { get; set; }

        /// <summary>The container's name; default: one the library chooses.</summary>
        [Parameter]
        [Alias("ContainerName")]
        public string Name { get; set; }

        /// <summary>Replaces the image's CMD (arguments to its entrypoint).</summary>
        [Parameter(Position = 1, ValueFromRemainingArguments = true)]
        public string[] Command { get; set; }

        /// <summary>Replaces the image's ENTRYPOINT.</summary>
        [Parameter]
        public string[] Entrypoint { get; set; }

        /// <summary>Environment variables, as a hashtable (@{ A = '1' }).</summary>
        [Parameter]
        [Alias("Env")]
        public Hashtable Environment { get; set; }

        [Parameter]
        public string WorkingDirectory { get; set; }

        [Parameter]
        public string User { get; set; }

        [Parameter]
        public Hashtable Label { get; set; }

        /// <summary>Bind mounts: "C:\host\path:C:\in\container[:ro]" or "/host:/ctr[:ro]".</summary>
        [Parameter]
        public string[] Mount { get; set; }

        [Parameter]
        [ValidateSet("Process", "HyperV")]
        public string Isolation { get; set; }

        /// <summary>docker's --restart: no, on-failure[:max-retries], always or unless-stopped. The
        /// container's monitor restarts it; Stop-Container ends that; after a reboot
        /// `berth system boot` starts those that should run.</summary>
        [Parameter]
        [Alias("Restart")]
        [ValidatePattern(@"^(no|always|unless-stopped|on-failure(:\d{1,9})?)$")]
        public string RestartPolicy { get; set; }

        /// <summary>Security options, docker's --security-opt (Linux): "seccomp=unconfined",
        /// "seccomp=PROFILE.json" (Docker's or the OCI format), "no-new-privileges",
        /// "apparmor=unconfined|NAME".</summary>
        [Parameter]
        public string[] SecurityOpt { get; set; }

        /// <summary>Capabilities to add to the default set (Linux): "NET_ADMIN" or "CAP_NET_ADMIN", or "ALL".</summary>
        [Parameter]
        public string[] CapAdd { get; set; }

        /// <summary>Capabilities to drop from the default set (Linux): "CHOWN" or "CAP_CHOWN", or "ALL".</summary>
        [Parameter]
        public string[] CapDrop { get; set; }

        /// <summary>Every capability, no seccomp, no masked paths, the host's devices (Linux; docker --privileged).</summary>
        [Parameter]
        public SwitchParameter Privileged { get; set; }

        protected override void ProcessRecord()
        {
            string source = RootFS != null ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(RootFS) : Image;
            if (!ShouldProcess(Name ?? source, "Create container from " + source)) return;
            var spec = new Dictionary<string, object>();
            if (RootFS != null) spec["rootfs"] = source; else spec["image"] = Image;
            if (Name != null) spec["name"] = Name;
            if (Command != null && Command.Length > 0) spec["cmd"] = Command;
            if (Entrypoint != null) spec["entrypoint"] = Entrypoint;
            if (Environment != null)
            {
                var env = new List<string>();
                foreach (DictionaryEntry kv in Environment)
                    env.Add(System.Convert.ToString(kv.Key, CultureInfo.InvariantCulture) + "=" + System.Convert.ToString(kv.Value, CultureInfo.InvariantCulture));
                spec["env"] = env;
            }
            if (WorkingDirectory != null) spec["workdir"] = WorkingDirectory;
            if (User != null) spec["user"] = User;
            if (Label != null)
            {
                var labels = new Dictionary<string, object>();
                foreach (DictionaryEntry kv in Label)
                    labels[System.Convert.ToString(kv.Key, CultureInfo.InvariantCulture)] = System.Convert.ToString(kv.Value, CultureInfo.InvariantCulture);
                spec["labels"] = labels;
            }
            if (Mount != null) spec["volumes"] = Mount;
            if (Isolation != null) spec["isolation"] = Isolation.ToLowerInvariant();
            if (RestartPolicy != null) spec["restart_policy"] = RestartPolicy;
            if (SecurityOpt != null)
            {
                // a profile path is resolved against the PowerShell location, not the process's
                var opts = new List<string>();
                foreach (string o in SecurityOpt)
                {
                    string v = o;
                    if (o.StartsWith("seccomp=", System.StringComparison.Ordinal) && o != "seccomp=unconfined")
                        v = "seccomp=" + SessionState.Path.GetUnresolvedProviderPathFromPSPath(o.Substring(8));
                    opts.Add(v);
                }
                spec["security_opt"] = opts;
            }
            if (CapAdd != null) spec["cap_add"] = CapAdd;
            if (CapDrop != null) spec["cap_drop"] = CapDrop;
            if (Privileged) spec["privileged"] = true;
            try { WriteObject(Engine.CreateContainer(spec)); }
            catch (BerthException e) { WriteBerthError(e, Name ?? source); }
        }
    }
}
