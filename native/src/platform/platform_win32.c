/* This host's platform on Windows: the build and revision (UBR) from the registry, the
 * edition that decides the default isolation. Reading is here; deciding is the portable
 * hcs_host_facts_decide (runtime/hcs/hostfacts.c), tested on Linux with injected values.
 * RtlGetVersion, not GetVersionEx: the latter lies to processes without a manifest. */
#include "platform/platform.h"
#include "runtime/hcs/hostfacts.h"
#include "core/error.h"
#include "core/utf16.h"
#include <windows.h>
#include <stdlib.h>
#include <string.h>

#define CURRENT_VERSION_KEY L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"

typedef LONG (WINAPI *rtl_get_version_fn)(OSVERSIONINFOEXW *);

/* A REG_SZ value of CurrentVersion as UTF-8 (malloc'ed), or NULL when absent. */
static char *reg_string(const wchar_t *name)
{
    wchar_t buf[256];
    DWORD size = sizeof buf;
    if (RegGetValueW(HKEY_LOCAL_MACHINE, CURRENT_VERSION_KEY, name, RRF_RT_REG_SZ, NULL, buf, &size) != ERROR_SUCCESS)
        return NULL;
    char *s = utf16_to_utf8(buf, "registry value");
    if (!s)
        berth_error_clear();
    return s;
}

static int reg_dword(const wchar_t *name, DWORD *out)
{
    DWORD size = sizeof *out;
    return RegGetValueW(HKEY_LOCAL_MACHINE, CURRENT_VERSION_KEY, name, RRF_RT_REG_DWORD, NULL, out, &size) ==
           ERROR_SUCCESS;
}

int platform_host_facts(hcs_host_facts *out)
{
    hcs_host_raw raw;
    memset(&raw, 0, sizeof raw);
    OSVERSIONINFOEXW v;
    memset(&v, 0, sizeof v);
    v.dwOSVersionInfoSize = sizeof v;
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    FARPROC p = ntdll ? GetProcAddress(ntdll, "RtlGetVersion") : NULL;
    rtl_get_version_fn rtl_get_version;
    memcpy(&rtl_get_version, &p, sizeof p);   /* FARPROC → the real signature, without a cast warning */
    if (rtl_get_version && rtl_get_version(&v) == 0) {
        raw.major = v.dwMajorVersion;
        raw.minor = v.dwMinorVersion;
        raw.product_type = v.wProductType;
    }
    char *build = reg_string(L"CurrentBuildNumber");
    char *itype = reg_string(L"InstallationType");
    DWORD ubr = 0;
    raw.has_ubr = reg_dword(L"UBR", &ubr);
    raw.ubr = ubr;
    raw.build = build;
    raw.installation_type = itype;
    SYSTEM_INFO si;
    GetNativeSystemInfo(&si);
    switch (si.wProcessorArchitecture) {
    case PROCESSOR_ARCHITECTURE_AMD64: raw.arch = "amd64"; break;
    case PROCESSOR_ARCHITECTURE_ARM64: raw.arch = "arm64"; break;
    case PROCESSOR_ARCHITECTURE_INTEL: raw.arch = "386"; break;
    case PROCESSOR_ARCHITECTURE_ARM: raw.arch = "arm"; break;
    default: raw.arch = "unknown"; break;
    }
    int rc = hcs_host_facts_decide(out, &raw);
    free(build);
    free(itype);
    return rc;
}

int platform_host(berth_platform *out)
{
    hcs_host_facts f;
    int rc = platform_host_facts(&f);
    if (rc == 0)
        *out = f.platform;
    return rc;
}

int platform_host_isolation(berth_isolation *out)
{
    hcs_host_facts f;
    int rc = platform_host_facts(&f);
    if (rc == 0)
        *out = f.default_isolation;
    return rc;
}
