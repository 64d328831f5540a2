using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;

namespace Berth.Interop
{
    /// <summary>
    /// Runs when Import-Module loads the assembly. The library starts each container's monitor
    /// (berth-shim) from $BERTH_SHIM or from beside the running program — which inside PowerShell
    /// is pwsh, not berth. A module folder that carries berth-shim therefore names it in
    /// BERTH_SHIM, through libc's setenv: on .NET for Unix, Environment.SetEnvironmentVariable
    /// (and $env:X) never reaches the C library's getenv.
    /// </summary>
    public sealed class ModuleInit : IModuleAssemblyInitializer
    {
        [DllImport("libc", EntryPoint = "setenv")]
        private static extern int setenv(string name, string value, int overwrite);

        public void OnImport()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            try
            {
                string dir = Path.GetDirectoryName(typeof(ModuleInit).Assembly.Location);
                string shim = dir == null ? null : Path.Combine(dir, "berth-shim");
                if (shim != null && File.Exists(shim) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("BERTH_SHIM")))
                {
                    setenv("BERTH_SHIM", shim, 0);
                    Environment.SetEnvironmentVariable("BERTH_SHIM", shim);
                }
            }
            catch (Exception) { /* the library then says which monitor it could not find */ }
        }
    }
}
