/* Facts about a Windows host that decide how Berth runs containers there, and the messages
 * that explain a host that cannot. The decisions are portable (unit-tested on Linux with
 * injected values); platform/platform_win32.c reads the values from the registry. No json-c. */
#ifndef BERTH_RUNTIME_HCS_HOSTFACTS_H
#define BERTH_RUNTIME_HCS_HOSTFACTS_H
#include "platform/platform.h"
#include <stddef.h>

/* What HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion and RtlGetVersion say. */
typedef struct {
    unsigned major, minor;          /* RtlGetVersion: 10, 0 (the registry's CurrentMajor/MinorVersionNumber) */
    const char *build;              /* CurrentBuildNumber (REG_SZ), e.g. "20348"; NULL when unreadable */
    unsigned long ubr;              /* UBR (REG_DWORD), the revision: 2113 in 10.0.20348.2113 */
    int has_ubr;
    const char *installation_type;  /* InstallationType: "Server", "Server Core", "Nano Server", "Client"; NULL */
    unsigned product_type;          /* OSVERSIONINFOEX.wProductType: 1 workstation, 2 DC, 3 server; 0 unknown */
    const char *arch;               /* "amd64", "arm64" */
} hcs_host_raw;

typedef struct {
    berth_platform platform;        /* windows/<arch>, os_version "10.0.<build>.<ubr>" */
    unsigned build;
    berth_isolation default_isolation;
    int is_server;
} hcs_host_facts;

/* Decides the facts. BERTH_EINVAL (naming the value) when the build number is missing or not a
 * number: the platform rules cannot work without it. */
int hcs_host_facts_decide(hcs_host_facts *out, const hcs_host_raw *in);

/* Windows only (platform/platform_win32.c): reads this host's values and decides. */
int platform_host_facts(hcs_host_facts *out);

/* The user's fix for a missing HCS DLL: which feature to install and how, on this edition. */
void hcs_feature_hint(char *buf, size_t len, const char *dll, int is_server, int hyperv);

#endif
