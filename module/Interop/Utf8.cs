using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Interop
{
    /// <summary>
    /// UTF-8 strings across the boundary. netstandard2.0 has neither UnmanagedType.LPUTF8Str nor
    /// Marshal.PtrToStringUTF8, and the C API speaks UTF-8 on every platform, so we convert here.
    /// </summary>
    internal static class Utf8
    {
        /// <summary>A NUL-terminated UTF-8 copy to pass as const char*; null stays null.</summary>
        public static byte[] Bytes(string s)
        {
            if (s == null) return null;
            int n = Encoding.UTF8.GetByteCount(s);
            var bytes = new byte[n + 1];
            Encoding.UTF8.GetBytes(s, 0, s.Length, bytes, 0);
            return bytes;
        }

        /// <summary>Reads a NUL-terminated UTF-8 string the library owns (does not free it).</summary>
        public static string Read(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            int len = 0;
            while (Marshal.ReadByte(p, len) != 0) len++;
            return Read(p, len);
        }

        public static string Read(IntPtr p, int len)
        {
            if (p == IntPtr.Zero) return null;
            var bytes = new byte[len];
            Marshal.Copy(p, bytes, 0, len);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>Reads a string the library handed out, then releases it with berth_free.</summary>
        public static string Take(IntPtr p)
        {
            try { return Read(p); }
            finally { if (p != IntPtr.Zero) Native.berth_free(p); }
        }

        /// <summary>Unmanaged NUL-terminated copy for fields of options structs; free with Marshal.FreeHGlobal.</summary>
        public static IntPtr Alloc(string s)
        {
            if (s == null) return IntPtr.Zero;
            byte[] b = Bytes(s);
            IntPtr p = Marshal.AllocHGlobal(b.Length);
            Marshal.Copy(b, 0, p, b.Length);
            return p;
        }
    }
}
