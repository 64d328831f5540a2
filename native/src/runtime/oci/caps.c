/* Capability names and docker's rules for --cap-add / --cap-drop / --privileged. */
#include "runtime/oci/security.h"
#include "core/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Every capability Linux 6.1 knows, in number order (linux/capability.h). */
static const char *const all_caps[] = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
    "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
    "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
    "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};
#define N_ALL (sizeof all_caps / sizeof all_caps[0])

const char *const sec_default_caps[] = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
};
const size_t sec_n_default_caps = sizeof sec_default_caps / sizeof sec_default_caps[0];

int sec_cap_normalize(char *out, size_t n, const char *name)
{
    char up[64];
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len >= sizeof up - 4)
        return berth_fail(BERTH_EINVAL, "capability \"%.40s\": give a name such as NET_ADMIN or CAP_NET_ADMIN, or ALL",
                          name ? name : "");
    for (size_t i = 0; i <= len; i++)
        up[i] = (char)toupper((unsigned char)name[i]);
    if (strcmp(up, "ALL") == 0) {
        snprintf(out, n, "ALL");
        return 0;
    }
    char full[72];
    snprintf(full, sizeof full, "%s%s", strncmp(up, "CAP_", 4) == 0 ? "" : "CAP_", up);
    for (size_t i = 0; i < N_ALL; i++)
        if (strcmp(full, all_caps[i]) == 0) {
            snprintf(out, n, "%s", full);
            return 0;
        }
    return berth_fail(BERTH_EINVAL, "unknown capability \"%s\": use a Linux capability name such as NET_ADMIN, SYS_PTRACE or "
                      "CAP_SYS_TIME (see capabilities(7)), or ALL", name);
}

/* Normalised names of a list (NULL: empty) into marks over all_caps; *all gets whether ALL was given. */
static int mark_list(unsigned char *marks, int *all, json_object *list, const char *what)
{
    *all = 0;
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        json_object *e = json_object_array_get_idx(list, i);
        if (!json_object_is_type(e, json_type_string))
            return berth_fail(BERTH_EINVAL, "%s[%zu]: a capability name must be a string", what, i);
        char name[72];
        int rc = sec_cap_normalize(name, sizeof name, json_object_get_string(e));
        if (rc)
            return berth_wrap(rc, "%s", what);
        if (strcmp(name, "ALL") == 0)
            *all = 1;
        for (size_t k = 0; k < N_ALL; k++)
            if (strcmp(name, all_caps[k]) == 0)
                marks[k] = 1;
    }
    return 0;
}

int sec_caps_resolve(json_object **out, json_object *add, json_object *drop, int privileged, unsigned long long host_caps)
{
    *out = NULL;
    unsigned char have[N_ALL] = { 0 }, added[N_ALL] = { 0 }, dropped[N_ALL] = { 0 };
    int add_all = 0, drop_all = 0;
    int rc = mark_list(added, &add_all, add, "cap_add");
    if (rc == 0)
        rc = mark_list(dropped, &drop_all, drop, "cap_drop");
    if (rc)
        return rc;
    for (size_t k = 0; k < N_ALL; k++)
        if (added[k] && !((host_caps >> k) & 1) && !privileged)
            return berth_fail(BERTH_EINVAL, "cap_add: %s cannot be given: this engine does not hold it itself (its bounding set "
                              "lacks it), so runc could not grant it — leave it out or run berth with it", all_caps[k]);
    for (size_t k = 0; k < N_ALL; k++) {
        int dflt = 0;
        for (size_t d = 0; d < sec_n_default_caps; d++)
            dflt |= strcmp(all_caps[k], sec_default_caps[d]) == 0;
        if (privileged || add_all)
            have[k] = ((host_caps >> k) & 1) && (privileged || !dropped[k] || added[k]);
        else
            have[k] = added[k] || (dflt && !drop_all && !dropped[k] && ((host_caps >> k) & 1));
    }
    json_object *a = json_object_new_array();
    if (!a)
        return berth_fail_oom();
    for (size_t k = 0; k < N_ALL; k++)
        if (have[k])
            json_object_array_add(a, json_object_new_string(all_caps[k]));
    *out = a;
    return 0;
}

int sec_caps_has(json_object *caps, const char *cap)
{
    for (size_t i = 0; caps && i < json_object_array_length(caps); i++) {
        const char *c = json_object_get_string(json_object_array_get_idx(caps, i));
        if (c && strcmp(c, cap) == 0)
            return 1;
    }
    return 0;
}

const char *sec_host_arch(void)
{
#if defined(__x86_64__) || defined(_M_X64)
    return "x86_64";
#elif defined(__aarch64__) || defined(_M_ARM64)
    return "aarch64";
#elif defined(__i386__) || defined(_M_IX86)
    return "i686";
#elif defined(__arm__)
    return "armv7l";
#else
    return "unknown";
#endif
}
