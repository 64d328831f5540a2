/* Seccomp: Berth's default profile (data below) and the reading of user profiles, in the OCI
 * linux.seccomp shape or Docker's profile format, into the OCI shape runc applies.
 *
 * The default profile is a denylist: every system call is allowed except the groups below,
 * which fail with EPERM unless the container holds the capability that makes the call
 * legitimate (then the kernel's own capability check decides). docker's default is an
 * allowlist; docs/architecture.md ("Container security defaults") says why we chose a
 * denylist and what it leaves to the kernel. */
#include "runtime/oci/security.h"
#include "core/error.h"
#include "core/json.h"
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One denied group: names (space-separated) fail with err unless the container holds cap
 * (NULL: always). Calls denied only for some arguments (clone, unshare, personality) are
 * built in sec_seccomp_default: one rule per flag, since rules on the same call are OR-ed. */
typedef struct {
    const char *cap;
    const char *names;
    int err;
} deny_group;

static const deny_group groups[] = {
    /* Loading kernel code: modules and a new kernel replace the host's kernel. */
    { "CAP_SYS_MODULE", "init_module finit_module delete_module create_module query_module get_kernel_syms", EPERM },
    { "CAP_SYS_BOOT", "kexec_load kexec_file_load reboot", EPERM },
    /* Mounts and file system contexts: a container must not rearrange its view of the host's
     * file systems (escape through a new mount of a host device or a moved mount). */
    { "CAP_SYS_ADMIN", "mount umount umount2 pivot_root open_tree move_mount fsopen fsconfig fsmount fspick mount_setattr", EPERM },
    /* Swap, quotas, kernel-wide tracing and BPF: host-wide state, not namespaced. */
    { "CAP_SYS_ADMIN", "swapon swapoff quotactl quotactl_fd lookup_dcookie fanotify_init bpf perf_event_open", EPERM },
    /* Joining other namespaces (and creating new ones, below) is how most kernel exploits
     * widen their reach. */
    { "CAP_SYS_ADMIN", "setns", EPERM },
    /* Tracing and reading other processes' memory. */
    { "CAP_SYS_PTRACE", "ptrace process_vm_readv process_vm_writev kcmp pidfd_getfd process_madvise", EPERM },
    /* The wall clock is host-wide (time namespaces do not cover CLOCK_REALTIME). */
    { "CAP_SYS_TIME", "settimeofday stime clock_settime clock_settime64", EPERM },
    /* Raw port I/O reaches the hardware directly. */
    { "CAP_SYS_RAWIO", "iopl ioperm", EPERM },
    /* File handles bypass the mount namespace: the "shocker" escape. */
    { "CAP_DAC_READ_SEARCH", "open_by_handle_at", EPERM },
    { "CAP_SYS_PACCT", "acct", EPERM },
    { "CAP_SYSLOG", "syslog", EPERM },
    { "CAP_SYS_TTY_CONFIG", "vhangup", EPERM },
    { "CAP_SYS_NICE", "move_pages migrate_pages", EPERM },
    { "CAP_SYS_CHROOT", "chroot", EPERM },
    /* The kernel keyring is not namespaced; userfaultfd makes kernel races easy to win;
     * io_uring is a large attack surface docker also blocks; the rest are obsolete. */
    { NULL, "keyctl add_key request_key userfaultfd io_uring_setup io_uring_enter io_uring_register", EPERM },
    { NULL, "uselib ustat sysfs _sysctl nfsservctl vm86 vm86old", EPERM },
};

/* Namespace flags of clone/unshare (linux/sched.h). CLONE_NEWTIME only exists for unshare. */
static const uint64_t ns_flags[] = {
    0x00020000, /* NEWNS */ 0x02000000, /* NEWCGROUP */ 0x04000000, /* NEWUTS */ 0x08000000, /* NEWIPC */
    0x10000000, /* NEWUSER */ 0x20000000, /* NEWPID */ 0x40000000, /* NEWNET */
};
#define CLONE_NEWTIME_ 0x00000080u

/* personality(2) flags that weaken the address space (no ASLR, executable data, page zero
 * mapped). Harmless values (PER_LINUX, PER_LINUX32, UNAME26, the 0xffffffff query) stay
 * allowed: the rules also require bit 31 clear, which only the query sets. */
static const uint64_t personality_bad[] = {
    0x0040000, /* ADDR_NO_RANDOMIZE */ 0x0080000, /* FDPIC_FUNCPTRS */ 0x0100000, /* MMAP_PAGE_ZERO */
    0x0200000, /* ADDR_COMPAT_LAYOUT */ 0x0400000, /* READ_IMPLIES_EXEC */ 0x0800000, /* ADDR_LIMIT_32BIT */
    0x1000000, /* SHORT_INODE */ 0x2000000, /* WHOLE_SECONDS */ 0x4000000, /* STICKY_TIMEOUTS */
    0x8000000, /* ADDR_LIMIT_3GB */
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static json_object *names_array(const char *names)
{
    json_object *a = json_object_new_array();
    char buf[512];
    snprintf(buf, sizeof buf, "%s", names);
    for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
        json_object_array_add(a, json_object_new_string(t));
    return a;
}

static json_object *rule(const char *names, int err, int masked, uint64_t mask, uint64_t want)
{
    json_object *r = json_object_new_object();
    json_object_object_add(r, "names", names_array(names));
    json_object_object_add(r, "action", json_object_new_string("SCMP_ACT_ERRNO"));
    json_object_object_add(r, "errnoRet", json_object_new_int(err));
    if (masked) {
        json_object *a = json_object_new_object(), *args = json_object_new_array();
        json_object_object_add(a, "index", json_object_new_int(0));
        json_object_object_add(a, "value", json_object_new_uint64(mask));
        json_object_object_add(a, "valueTwo", json_object_new_uint64(want));
        json_object_object_add(a, "op", json_object_new_string("SCMP_CMP_MASKED_EQ"));
        json_object_array_add(args, a);
        json_object_object_add(r, "args", args);
    }
    return r;
}

/* The seccomp architectures a filter for arch must cover: the native one and the ABIs the
 * same kernel runs (a 32-bit binary must meet the same denials, not an unfiltered door). */
static json_object *arch_list(const char *arch)
{
    json_object *a = json_object_new_array();
    const char *const *v = NULL;
    static const char *const x86_64[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL };
    static const char *const arm64[] = { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL };
    static const char *const x86[] = { "SCMP_ARCH_X86", NULL };
    static const char *const arm[] = { "SCMP_ARCH_ARM", NULL };
    if (strcmp(arch, "x86_64") == 0 || strcmp(arch, "amd64") == 0)
        v = x86_64;
    else if (strcmp(arch, "aarch64") == 0 || strcmp(arch, "arm64") == 0)
        v = arm64;
    else if (strcmp(arch, "i686") == 0 || strcmp(arch, "i386") == 0 || strcmp(arch, "386") == 0)
        v = x86;
    else if (strncmp(arch, "arm", 3) == 0)
        v = arm;
    for (; v && *v; v++)
        json_object_array_add(a, json_object_new_string(*v));
    return a;
}

json_object *sec_seccomp_default(json_object *caps, const char *arch)
{
    json_object *p = json_object_new_object(), *calls = json_object_new_array();
    json_object_object_add(p, "defaultAction", json_object_new_string("SCMP_ACT_ALLOW"));
    json_object_object_add(p, "architectures", arch_list(arch));
    for (size_t i = 0; i < N(groups); i++)
        if (!(groups[i].cap && sec_caps_has(caps, groups[i].cap)))
            json_object_array_add(calls, rule(groups[i].names, groups[i].err, 0, 0, 0));
    if (!sec_caps_has(caps, "CAP_SYS_ADMIN")) {
        /* new namespaces: clone and unshare with any namespace flag; clone3 passes its flags
         * in memory seccomp cannot read, so it answers ENOSYS and the C library falls back to
         * clone, which is checked (docker does the same). */
        for (size_t i = 0; i < N(ns_flags); i++)
            json_object_array_add(calls, rule("clone unshare", EPERM, 1, ns_flags[i], ns_flags[i]));
        json_object_array_add(calls, rule("unshare", EPERM, 1, CLONE_NEWTIME_, CLONE_NEWTIME_));
        json_object_array_add(calls, rule("clone3", ENOSYS, 0, 0, 0));
    }
    for (size_t i = 0; i < N(personality_bad); i++)
        json_object_array_add(calls, rule("personality", EPERM, 1, 0x80000000u | personality_bad[i], personality_bad[i]));
    json_object_object_add(p, "syscalls", calls);
    return p;
}

/* ---- user profiles ---- */

static const char *const actions[] = {
    "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
    "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",
};
static const char *const ops[] = {
    "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
};
static const char *const arches[] = {
    "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",
    "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
    "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_RISCV64",
    "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
};
static const char *const flags[] = {
    "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
};

#define MAX_RULES 4096
#define MAX_NAMES 1024

static int one_of(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return 1;
    return 0;
}

/* The arch names Docker's includes/excludes use (Go's GOARCH) and uname's, for the host. */
static int arch_matches(const char *name, const char *arch)
{
    if (strcmp(name, arch) == 0)
        return 1;
    static const char *const pairs[][2] = { { "amd64", "x86_64" }, { "arm64", "aarch64" }, { "386", "i686" }, { "arm", "armv7l" } };
    for (size_t i = 0; i < N(pairs); i++)
        if (strcmp(name, pairs[i][0]) == 0 && strcmp(arch, pairs[i][1]) == 0)
            return 1;
    return 0;
}

static const char *arch_scmp(const char *arch)
{
    if (strcmp(arch, "x86_64") == 0)
        return "SCMP_ARCH_X86_64";
    if (strcmp(arch, "aarch64") == 0)
        return "SCMP_ARCH_AARCH64";
    if (strcmp(arch, "i686") == 0)
        return "SCMP_ARCH_X86";
    if (strncmp(arch, "arm", 3) == 0)
        return "SCMP_ARCH_ARM";
    return "";
}

static int valid_syscall_name(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
            return 0;
    return n > 0 && n <= 64;
}

/* "4.8" against the host's "6.1.0-13-amd64": whether the host is at least that version. */
static int kernel_at_least(int *ok, const char *want, const char *have)
{
    unsigned wa = 0, wb = 0, ha = 0, hb = 0;
    char tail;
    if (sscanf(want, "%u.%u%c", &wa, &wb, &tail) != 2)
        return -1;
    if (!have || sscanf(have, "%u.%u", &ha, &hb) != 2) {
        *ok = 1;
        return 0;
    }
    *ok = ha > wa || (ha == wa && hb >= wb);
    return 0;
}

/* A string array field (may be absent); every entry must be a string. */
static int str_array_field(json_object **out, json_object *o, const char *key, const char *what, const char *where)
{
    json_object *v = NULL;
    *out = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !v)
        return 0;
    if (!json_object_is_type(v, json_type_array))
        return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.%s must be an array of strings", what, where, key);
    for (size_t i = 0; i < json_object_array_length(v); i++)
        if (!json_object_is_type(json_object_array_get_idx(v, i), json_type_string))
            return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.%s[%zu] must be a string", what, where, key, i);
    *out = v;
    return 0;
}

/* Whether a Docker "includes"/"excludes" filter lets the rule through for this container. */
static int filter_ok(int *keep, json_object *f, int include, const char *what, const char *where, json_object *caps,
                     const char *arch, const char *kernel)
{
    if (!f)
        return 0;
    if (!json_object_is_type(f, json_type_object))
        return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.%s must be an object", what, where, include ? "includes" : "excludes");
    json_object *list;
    int rc = str_array_field(&list, f, "caps", what, where);
    for (size_t i = 0; rc == 0 && list && i < json_object_array_length(list); i++) {
        char cap[72];
        if ((rc = sec_cap_normalize(cap, sizeof cap, json_object_get_string(json_object_array_get_idx(list, i)))) != 0)
            return berth_wrap(rc, "seccomp profile %s: %s", what, where);
        int has = sec_caps_has(caps, cap);
        if (include ? !has : has)   /* includes: all listed; excludes: none of them */
            *keep = 0;
    }
    if (rc == 0)
        rc = str_array_field(&list, f, "arches", what, where);
    if (rc == 0 && list && json_object_array_length(list)) {
        int any = 0;
        for (size_t i = 0; i < json_object_array_length(list); i++)
            any |= arch_matches(json_object_get_string(json_object_array_get_idx(list, i)), arch);
        if (include ? !any : any)
            *keep = 0;
    }
    const char *mk = json_str(f, "minKernel");
    if (rc == 0 && mk && *mk) {
        int at_least = 0;
        if (!include)
            return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.excludes.minKernel is not supported — use includes", what, where);
        if (kernel_at_least(&at_least, mk, kernel) != 0)
            return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.includes.minKernel \"%s\" is not a version like 4.8", what, where, mk);
        if (!at_least)
            *keep = 0;
    }
    return rc;
}

static int get_u64(uint64_t *out, json_object *o, const char *key, int required, const char *what, const char *where)
{
    json_object *v = NULL;
    *out = 0;
    if (!json_object_object_get_ex(o, key, &v) || !v) {
        if (required)
            return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.%s is missing", what, where, key);
        return 0;
    }
    if (!json_object_is_type(v, json_type_int) || (json_object_get_int64(v) < 0 && json_object_get_uint64(v) <= INT64_MAX))
        return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.%s must be a non-negative integer", what, where, key);
    *out = json_object_get_uint64(v);
    return 0;
}

static int convert_args(json_object **out, json_object *args, const char *what, const char *where)
{
    *out = NULL;
    if (!json_object_is_type(args, json_type_array) || json_object_array_length(args) > 6)
        return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.args must be an array of at most 6 conditions", what, where);
    json_object *res = json_object_new_array();
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < json_object_array_length(args); i++) {
        json_object *a = json_object_array_get_idx(args, i);
        char at[128];
        snprintf(at, sizeof at, "%s.args[%zu]", where, i);
        uint64_t index = 0, value = 0, two = 0;
        const char *op = json_str(a, "op");
        if (!json_object_is_type(a, json_type_object))
            rc = berth_fail(BERTH_EINVAL, "seccomp profile %s: %s must be an object", what, at);
        else if ((rc = get_u64(&index, a, "index", 1, what, at)) != 0 || (rc = get_u64(&value, a, "value", 0, what, at)) != 0 ||
                 (rc = get_u64(&two, a, "valueTwo", 0, what, at)) != 0)
            ;
        else if (index > 5)
            rc = berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.index %" PRIu64 " is out of range (0 to 5)", what, at, index);
        else if (!one_of(op, ops, N(ops)))
            rc = berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.op \"%s\" is not a comparison (SCMP_CMP_EQ, SCMP_CMP_NE, "
                            "SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ)", what, at, op ? op : "");
        if (rc)
            break;
        json_object *c = json_object_new_object();
        json_object_object_add(c, "index", json_object_new_int((int)index));
        json_object_object_add(c, "value", json_object_new_uint64(value));
        json_object_object_add(c, "valueTwo", json_object_new_uint64(two));
        json_object_object_add(c, "op", json_object_new_string(op));
        json_object_array_add(res, c);
    }
    if (rc)
        json_object_put(res);
    else
        *out = res;
    return rc;
}

static int check_action(const char *action, const char *what, const char *where)
{
    if (action && strcmp(action, "SCMP_ACT_NOTIFY") == 0)
        return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s: SCMP_ACT_NOTIFY needs a seccomp agent, which Berth does not run", what, where);
    if (!one_of(action, actions, N(actions)))
        return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s \"%s\" is not a seccomp action (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, "
                          "SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_LOG)",
                          what, where, action ? action : "(missing)");
    return 0;
}

/* One entry of "syscalls": *out stays NULL when includes/excludes leave it out. */
static int convert_rule(json_object **out, json_object *r, size_t idx, const char *what, json_object *caps, const char *arch,
                        const char *kernel)
{
    char where[64];
    snprintf(where, sizeof where, "syscalls[%zu]", idx);
    *out = NULL;
    if (!json_object_is_type(r, json_type_object))
        return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s must be an object", what, where);
    json_object *names = NULL, *v = NULL;
    int rc = str_array_field(&names, r, "names", what, where);
    const char *single = json_str(r, "name");
    if (rc)
        return rc;
    if (json_object_object_get_ex(r, "name", &v) && v && !single)
        return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.name must be a string", what, where);
    size_t n = (names ? json_object_array_length(names) : 0) + (single ? 1 : 0);
    if (n == 0)
        return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s names no system call (give \"names\")", what, where);
    if (n > MAX_NAMES)
        return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s names %zu system calls; at most %d", what, where, n, MAX_NAMES);
    char at[96];
    snprintf(at, sizeof at, "%s.action", where);
    const char *action = json_str(r, "action");
    if ((rc = check_action(action, what, at)) != 0)
        return rc;
    int keep = 1;
    json_object *inc = json_object_object_get(r, "includes"), *exc = json_object_object_get(r, "excludes");
    if ((rc = filter_ok(&keep, inc, 1, what, where, caps, arch, kernel)) != 0 ||
        (rc = filter_ok(&keep, exc, 0, what, where, caps, arch, kernel)) != 0)
        return rc;
    json_object *res = json_object_new_object(), *list = json_object_new_array();
    json_object_object_add(res, "names", list);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_object *e = single && i == n - 1 ? json_object_object_get(r, "name") : json_object_array_get_idx(names, i);
        const char *s = json_object_get_string(e);
        if (!valid_syscall_name(s) || strlen(s) != (size_t)json_object_get_string_len(e))   /* no embedded NUL */
            rc = berth_fail(BERTH_EINVAL, "seccomp profile %s: %s: \"%.64s\" is not a system call name (lower-case letters, digits, _)",
                            what, where, s);
        else
            json_object_array_add(list, json_object_new_string(s));
    }
    json_object_object_add(res, "action", json_object_new_string(action));
    uint64_t err = 0;
    if (rc == 0 && json_object_object_get_ex(r, "errnoRet", &v) && v) {
        if ((rc = get_u64(&err, r, "errnoRet", 1, what, where)) == 0 && err > 4095)
            rc = berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.errnoRet %" PRIu64 " is not an errno (1 to 4095)", what, where, err);
        if (rc == 0)
            json_object_object_add(res, "errnoRet", json_object_new_int((int)err));
    }
    json_object *args = NULL;
    if (rc == 0 && json_object_object_get_ex(r, "args", &v) && v && (rc = convert_args(&args, v, what, where)) == 0)
        json_object_object_add(res, "args", args);
    if (rc || !keep)
        json_object_put(res);
    else
        *out = res;
    return rc;
}

/* architectures, or Docker's archMap: the entry for the host's arch and its sub-arches. */
static int convert_arches(json_object *res, json_object *p, const char *what, const char *arch)
{
    json_object *list = NULL, *map = NULL;
    int rc = str_array_field(&list, p, "architectures", what, "profile");
    if (rc)
        return rc;
    json_object *out = json_object_new_array();
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        const char *a = json_object_get_string(json_object_array_get_idx(list, i));
        if (!one_of(a, arches, N(arches))) {
            json_object_put(out);
            return berth_fail(BERTH_EINVAL, "seccomp profile %s: architectures[%zu] \"%s\" is not a seccomp architecture (e.g. SCMP_ARCH_X86_64)",
                              what, i, a);
        }
        json_object_array_add(out, json_object_new_string(a));
    }
    if (json_object_object_get_ex(p, "archMap", &map) && map) {
        if (!json_object_is_type(map, json_type_array)) {
            json_object_put(out);
            return berth_fail(BERTH_EINVAL, "seccomp profile %s: archMap must be an array", what);
        }
        for (size_t i = 0; i < json_object_array_length(map); i++) {
            json_object *e = json_object_array_get_idx(map, i), *subs = NULL;
            const char *a = json_str(e, "architecture");
            char at[48];
            snprintf(at, sizeof at, "archMap[%zu]", i);
            if (!one_of(a, arches, N(arches))) {
                json_object_put(out);
                return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.architecture \"%s\" is not a seccomp architecture (e.g. SCMP_ARCH_X86_64)",
                                  what, at, a ? a : "(missing)");
            }
            if ((rc = str_array_field(&subs, e, "subArchitectures", what, at)) != 0) {
                json_object_put(out);
                return rc;
            }
            for (size_t k = 0; subs && k < json_object_array_length(subs); k++)
                if (!one_of(json_object_get_string(json_object_array_get_idx(subs, k)), arches, N(arches))) {
                    json_object_put(out);
                    return berth_fail(BERTH_EINVAL, "seccomp profile %s: %s.subArchitectures[%zu] \"%s\" is not a seccomp architecture",
                                      what, at, k, json_object_get_string(json_object_array_get_idx(subs, k)));
                }
            if (strcmp(a, arch_scmp(arch)) != 0 || json_object_array_length(out))
                continue;
            json_object_array_add(out, json_object_new_string(a));
            for (size_t k = 0; subs && k < json_object_array_length(subs); k++)
                json_object_array_add(out, json_object_new_string(json_object_get_string(json_object_array_get_idx(subs, k))));
        }
    }
    if (json_object_array_length(out))
        json_object_object_add(res, "architectures", out);
    else
        json_object_put(out);
    return 0;
}

int sec_seccomp_convert(json_object **out, const char *text, size_t len, const char *what, json_object *caps, const char *arch,
                        const char *kernel)
{
    *out = NULL;
    json_object *p = NULL, *res = NULL, *v = NULL;
    int rc = 0;
    if (len > SEC_SECCOMP_MAX)
        return berth_fail(BERTH_EINVAL, "seccomp profile %s: %zu bytes is larger than the %u bytes accepted", what, len, SEC_SECCOMP_MAX);
    if ((rc = json_parse_limited(&p, text, len, what)) != 0)
        return berth_wrap(rc, "seccomp profile %s: not JSON", what);
    if (!json_object_is_type(p, json_type_object)) {
        rc = berth_fail(BERTH_EINVAL, "seccomp profile %s: expected a JSON object with defaultAction and syscalls", what);
        goto out;
    }
    res = json_object_new_object();
    const char *da = json_str(p, "defaultAction");
    if ((rc = check_action(da, what, "defaultAction")) != 0)
        goto out;
    json_object_object_add(res, "defaultAction", json_object_new_string(da));
    if (json_object_object_get_ex(p, "defaultErrnoRet", &v) && v) {
        uint64_t e = 0;
        if ((rc = get_u64(&e, p, "defaultErrnoRet", 1, what, "profile")) != 0)
            goto out;
        if (e > 4095) {
            rc = berth_fail(BERTH_EINVAL, "seccomp profile %s: defaultErrnoRet %" PRIu64 " is not an errno (1 to 4095)", what, e);
            goto out;
        }
        json_object_object_add(res, "defaultErrnoRet", json_object_new_int((int)e));
    }
    if (json_object_object_get_ex(p, "listenerPath", &v) && v && json_object_get_string_len(v)) {
        rc = berth_fail(BERTH_EINVAL, "seccomp profile %s: listenerPath needs a seccomp agent, which Berth does not run — remove it", what);
        goto out;
    }
    if ((rc = convert_arches(res, p, what, arch)) != 0)
        goto out;
    json_object *fl = NULL;
    if ((rc = str_array_field(&fl, p, "flags", what, "profile")) != 0)
        goto out;
    for (size_t i = 0; fl && i < json_object_array_length(fl); i++)
        if (!one_of(json_object_get_string(json_object_array_get_idx(fl, i)), flags, N(flags))) {
            rc = berth_fail(BERTH_EINVAL, "seccomp profile %s: flags[%zu] \"%s\" is not a seccomp filter flag", what, i,
                            json_object_get_string(json_object_array_get_idx(fl, i)));
            goto out;
        }
    if (fl && json_object_array_length(fl))
        json_object_object_add(res, "flags", json_object_get(fl));
    json_object *calls = NULL, *outcalls = json_object_new_array();
    json_object_object_add(res, "syscalls", outcalls);
    if (json_object_object_get_ex(p, "syscalls", &calls) && calls) {
        if (!json_object_is_type(calls, json_type_array)) {
            rc = berth_fail(BERTH_EINVAL, "seccomp profile %s: syscalls must be an array", what);
            goto out;
        }
        if (json_object_array_length(calls) > MAX_RULES) {
            rc = berth_fail(BERTH_EINVAL, "seccomp profile %s: %zu syscalls entries; at most %d", what,
                            json_object_array_length(calls), MAX_RULES);
            goto out;
        }
        for (size_t i = 0; i < json_object_array_length(calls); i++) {
            json_object *r = NULL;
            if ((rc = convert_rule(&r, json_object_array_get_idx(calls, i), i, what, caps, arch, kernel)) != 0)
                goto out;
            if (r)
                json_object_array_add(outcalls, r);
        }
    }
    *out = res;
    res = NULL;
out:
    json_object_put(p);
    json_object_put(res);
    return rc;
}
