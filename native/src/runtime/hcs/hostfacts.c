/* Host facts: the build and revision the pull's platform rules need, and the default
 * isolation — process on Windows Server (the containers share the host kernel), Hyper-V on
 * client editions (Windows 10/11 run Windows containers only in utility VMs by default, as
 * Docker does). */
#include "runtime/hcs/hostfacts.h"
#include "core/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_server_edition(const hcs_host_raw *in)
{
    const char *t = in->installation_type;
    if (t && *t) {
        /* "Server", "Server Core", "Nano Server" (and Azure's "Server Azure Edition" forms) */
        return strstr(t, "Server") != NULL;
    }
    return in->product_type == 2 || in->product_type == 3;   /* VER_NT_DOMAIN_CONTROLLER, VER_NT_SERVER */
}

int hcs_host_facts_decide(hcs_host_facts *out, const hcs_host_raw *in)
{
    memset(out, 0, sizeof *out);
    const char *b = in ? in->build : NULL;
    if (!b || !*b || strspn(b, "0123456789") != strlen(b) || strlen(b) > 9)
        return berth_fail(BERTH_EINVAL, "host facts: the registry's CurrentBuildNumber is \"%s\", not a "
                          "build number; Berth cannot match images to this host — check "
                          "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", b ? b : "(missing)");
    out->build = (unsigned)strtoul(b, NULL, 10);
    out->is_server = is_server_edition(in);
    out->default_isolation = out->is_server ? ISOLATION_PROCESS : ISOLATION_HYPERV;
    snprintf(out->platform.os, sizeof out->platform.os, "windows");
    snprintf(out->platform.arch, sizeof out->platform.arch, "%s", in->arch && *in->arch ? in->arch : "amd64");
    unsigned major = in->major ? in->major : 10, minor = in->minor;
    if (in->has_ubr)
        snprintf(out->platform.os_version, sizeof out->platform.os_version, "%u.%u.%u.%lu", major, minor,
                 out->build, in->ubr);
    else
        snprintf(out->platform.os_version, sizeof out->platform.os_version, "%u.%u.%u", major, minor,
                 out->build);
    return 0;
}

void hcs_feature_hint(char *buf, size_t len, const char *dll, int is_server, int hyperv)
{
    const char *containers = is_server
        ? "Install-WindowsFeature -Name Containers"
        : "Enable-WindowsOptionalFeature -Online -FeatureName Containers -All";
    const char *hv = is_server
        ? "Install-WindowsFeature -Name Hyper-V -IncludeManagementTools"
        : "Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V -All";
    const char *name = dll ? dll : "computecore.dll";
    if (hyperv)
        snprintf(buf, len, "%s is missing: Hyper-V isolation needs the Containers and Hyper-V features. "
                 "In an elevated PowerShell run `%s` and `%s`, then restart the computer",
                 name, containers, hv);
    else
        snprintf(buf, len, "%s is missing: the Windows Containers feature is not installed. In an "
                 "elevated PowerShell run `%s`, then restart the computer", name, containers);
}
