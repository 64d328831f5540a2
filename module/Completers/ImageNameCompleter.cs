using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using Berth.Commands;
using Berth.Interop;
using Berth.Model;

namespace Berth.Completers
{
    /// <summary>Tab completion of image references from the local store (the one named by -Root
    /// on the command line, else the default). Never contacts a registry: completion must be instant.</summary>
    public sealed class ImageNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                                                              CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var results = new List<CompletionResult>();
            string word = (wordToComplete ?? "").Trim('\'', '"');
            try
            {
                using (Engine engine = Engine.Open(CompleterRoot.From(fakeBoundParameters)))
                {
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (ContainerImage i in engine.ListImages(null))
                    {
                        string r = i.Reference;
                        if (r == null || !seen.Add(r)) continue;
                        if (r.StartsWith(word, StringComparison.OrdinalIgnoreCase) || (i.Repository != null && ShortName(r).StartsWith(word, StringComparison.OrdinalIgnoreCase)))
                            results.Add(new CompletionResult(r, r, CompletionResultType.ParameterValue, r + "  (" + i.ShortId + ")"));
                    }
                }
            }
            catch (Exception) { /* no store, no library: no completions, never an error while typing */ }
            return results;
        }

        private static string ShortName(string reference)
        {
            int slash = reference.LastIndexOf('/');
            return slash >= 0 ? reference.Substring(slash + 1) : reference;
        }
    }

    /// <summary>Tab completion of container names from the local store.</summary>
    public sealed class ContainerNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                                                              CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var results = new List<CompletionResult>();
            string word = (wordToComplete ?? "").Trim('\'', '"');
            try
            {
                using (Engine engine = Engine.Open(CompleterRoot.From(fakeBoundParameters)))
                {
                    foreach (Container c in engine.ListContainers(true, null, null))
                        if (c.Name != null && c.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                            results.Add(new CompletionResult(c.Name, c.Name, CompletionResultType.ParameterValue, c.Name + "  (" + c.Status + ", " + c.Image + ")"));
                }
            }
            catch (Exception) { }
            return results;
        }
    }

    internal static class CompleterRoot
    {
        /// <summary>The store to complete from. Throws when it does not exist: opening would create
        /// it, and pressing Tab must never create a store.</summary>
        public static string From(IDictionary fakeBoundParameters)
        {
            string root = null;
            if (fakeBoundParameters != null && fakeBoundParameters.Contains("Root"))
                root = Convert.ToString(fakeBoundParameters["Root"], System.Globalization.CultureInfo.InvariantCulture);
            if (string.IsNullOrEmpty(root)) root = BerthCmdlet.ResolveRoot(null, null);
            string path = root ?? (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
                ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "berth")
                : "/var/lib/berth");
            if (!System.IO.Directory.Exists(path)) throw new System.IO.DirectoryNotFoundException(path);
            return root;
        }
    }
}
