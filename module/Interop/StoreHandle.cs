using System;
using System.Runtime.InteropServices;

namespace Berth.Interop
{
    /// <summary>An opened store root (berth_t *). Released with berth_close exactly once, even
    /// when a pipeline is stopped or an exception unwinds the cmdlet.</summary>
    internal sealed class StoreHandle : SafeHandle
    {
        private StoreHandle() : base(IntPtr.Zero, ownsHandle: true) { }

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            Native.berth_close(handle);
            return true;
        }
    }
}
