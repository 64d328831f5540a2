/* This host's platform on POSIX systems, from uname(2). No os.version: on Linux the kernel
 * release says nothing about image compatibility (docker leaves it empty too). */
#include "platform/platform.h"
#include "core/error.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

int platform_host(berth_platform *out)
{
    struct utsname u;
    memset(out, 0, sizeof *out);
    if (uname(&u) != 0)
        return berth_fail_errno(BERTH_ERROR, errno, "uname");
    snprintf(out->os, sizeof out->os, "%.31s", u.sysname);
    snprintf(out->arch, sizeof out->arch, "%.31s", u.machine);
    /* 32-bit ARM reports armv6l / armv7l / armv8l: arm plus the variant */
    if (strncmp(u.machine, "armv", 4) == 0 && u.machine[4] >= '5' && u.machine[4] <= '8') {
        snprintf(out->arch, sizeof out->arch, "arm");
        snprintf(out->variant, sizeof out->variant, "v%c", u.machine[4] == '8' ? '7' : u.machine[4]);
    }
    platform_normalize(out);
    return 0;
}

int platform_host_isolation(berth_isolation *out)
{
    *out = ISOLATION_PROCESS;
    return 0;
}
