using System;

namespace Berth.Model
{
    /// <summary>Splits a normalised reference ("registry/repo/path:tag" or "…@sha256:hex") into the
    /// repository and tag the tables and the Containers: drive show. Parsing and normalising
    /// proper is the library's (berth_reference_parse); this only splits what it returned.</summary>
    public static class ImageReference
    {
        public static void Split(string reference, out string repository, out string tag, out string digest)
        {
            repository = reference; tag = null; digest = null;
            if (string.IsNullOrEmpty(reference)) return;
            int at = reference.IndexOf('@');
            string name = reference;
            if (at >= 0) { digest = reference.Substring(at + 1); name = reference.Substring(0, at); }
            int slash = name.LastIndexOf('/');
            int colon = name.LastIndexOf(':');
            if (colon > slash) { tag = name.Substring(colon + 1); name = name.Substring(0, colon); }
            repository = name;
        }

        /// <summary>"sha256:0123456789abcdef…" → "0123456789ab", like docker's IMAGE ID column.</summary>
        public static string ShortId(string id)
        {
            if (string.IsNullOrEmpty(id)) return id;
            int colon = id.IndexOf(':');
            string hex = colon >= 0 ? id.Substring(colon + 1) : id;
            return hex.Length > 12 ? hex.Substring(0, 12) : hex;
        }
    }
}
