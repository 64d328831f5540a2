/* Capabilities and seccomp profiles: docker's cap rules, Berth's default profile, and the
 * reading of Docker-format and OCI profiles, including hostile ones. */
#include "check.h"
#include "container/container.h"
#include "core/json.h"
#include "runtime/oci/oci.h"
#include "runtime/oci/security.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_object *list(const char *csv)
{
    json_object *a = json_object_new_array();
    char buf[512];
    snprintf(buf, sizeof buf, "%s", csv);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        json_object_array_add(a, json_object_new_string(t));
    return a;
}

static void test_cap_names(void)
{
    char out[72];
    CHECK_OK(sec_cap_normalize(out, sizeof out, "chown"));
    CHECK_STREQ(out, "CAP_CHOWN");
    CHECK_OK(sec_cap_normalize(out, sizeof out, "CAP_NET_ADMIN"));
    CHECK_STREQ(out, "CAP_NET_ADMIN");
    CHECK_OK(sec_cap_normalize(out, sizeof out, "Sys_Ptrace"));
    CHECK_STREQ(out, "CAP_SYS_PTRACE");
    CHECK_OK(sec_cap_normalize(out, sizeof out, "all"));
    CHECK_STREQ(out, "ALL");
    CHECK_RC(BERTH_EINVAL, sec_cap_normalize(out, sizeof out, "NET_ADMINN"));
    CHECK_MSG("unknown capability \"NET_ADMINN\"");
    CHECK_RC(BERTH_EINVAL, sec_cap_normalize(out, sizeof out, ""));
    CHECK_RC(BERTH_EINVAL, sec_cap_normalize(out, sizeof out, "CAP_"));
    CHECK_RC(BERTH_EINVAL, sec_cap_normalize(out, sizeof out, "CAP_CHOWN\n"));
    char big[300];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_RC(BERTH_EINVAL, sec_cap_normalize(out, sizeof out, big));
}

static void test_cap_rules(void)
{
    json_object *caps = NULL, *add = list("NET_ADMIN,cap_sys_time"), *drop = list("chown,CAP_MKNOD");
    CHECK_OK(sec_caps_resolve(&caps, NULL, NULL, 0, ~0ULL));
    CHECK(json_object_array_length(caps) == sec_n_default_caps);
    CHECK(sec_caps_has(caps, "CAP_CHOWN") && !sec_caps_has(caps, "CAP_SYS_ADMIN"));
    json_object_put(caps);

    CHECK_OK(sec_caps_resolve(&caps, add, drop, 0, ~0ULL));
    CHECK(sec_caps_has(caps, "CAP_NET_ADMIN") && sec_caps_has(caps, "CAP_SYS_TIME"));
    CHECK(!sec_caps_has(caps, "CAP_CHOWN") && !sec_caps_has(caps, "CAP_MKNOD") && sec_caps_has(caps, "CAP_KILL"));
    CHECK(json_object_array_length(caps) == sec_n_default_caps);
    json_object_put(caps);

    /* --cap-drop ALL --cap-add CHOWN: only CHOWN */
    json_object *all = list("ALL"), *chown = list("CHOWN");
    CHECK_OK(sec_caps_resolve(&caps, chown, all, 0, ~0ULL));
    CHECK(json_object_array_length(caps) == 1 && sec_caps_has(caps, "CAP_CHOWN"));
    json_object_put(caps);
    /* --cap-add ALL --cap-drop CHOWN: everything else */
    CHECK_OK(sec_caps_resolve(&caps, all, chown, 0, ~0ULL));
    CHECK(json_object_array_length(caps) == 40 && !sec_caps_has(caps, "CAP_CHOWN") && sec_caps_has(caps, "CAP_SYS_ADMIN"));
    json_object_put(caps);
    /* privileged: every capability, drops ignored like docker */
    CHECK_OK(sec_caps_resolve(&caps, NULL, all, 1, ~0ULL));
    CHECK(json_object_array_length(caps) == 41 && sec_caps_has(caps, "CAP_CHECKPOINT_RESTORE"));
    json_object_put(caps);
    /* ... but only those the engine holds itself (here: no CAP_SYS_RESOURCE, bit 24) */
    CHECK_OK(sec_caps_resolve(&caps, NULL, NULL, 1, 0x000001fffeffffffULL));
    CHECK(json_object_array_length(caps) == 40 && !sec_caps_has(caps, "CAP_SYS_RESOURCE") && sec_caps_has(caps, "CAP_SYS_TIME"));
    json_object_put(caps);
    json_object *res = list("SYS_RESOURCE");
    CHECK_RC(BERTH_EINVAL, sec_caps_resolve(&caps, res, NULL, 0, 0x000001fffeffffffULL));
    CHECK_MSG("CAP_SYS_RESOURCE cannot be given");
    json_object_put(res);

    json_object *bad = list("CHOWN,SYS_WHATEVER");
    CHECK_RC(BERTH_EINVAL, sec_caps_resolve(&caps, bad, NULL, 0, ~0ULL));
    CHECK_MSG("cap_add");
    CHECK_MSG("SYS_WHATEVER");
    CHECK(caps == NULL);
    json_object *notstr = json_object_new_array();
    json_object_array_add(notstr, json_object_new_int(3));
    CHECK_RC(BERTH_EINVAL, sec_caps_resolve(&caps, NULL, notstr, 0, ~0ULL));
    CHECK_MSG("cap_drop[0]");
    json_object_put(notstr);
    json_object_put(bad);
    json_object_put(all);
    json_object_put(chown);
    json_object_put(add);
    json_object_put(drop);
}

/* Whether profile p denies name (an unconditional rule, or with args when want_args). */
static int denies(json_object *p, const char *name, int want_args)
{
    json_object *calls = json_arr(p, "syscalls");
    for (size_t i = 0; calls && i < json_object_array_length(calls); i++) {
        json_object *r = json_object_array_get_idx(calls, i), *names = json_arr(r, "names");
        int has_args = json_arr(r, "args") != NULL;
        for (size_t k = 0; names && k < json_object_array_length(names); k++)
            if (strcmp(json_object_get_string(json_object_array_get_idx(names, k)), name) == 0 && has_args == want_args)
                return 1;
    }
    return 0;
}

static void test_default_profile(void)
{
    json_object *caps = NULL;
    CHECK_OK(sec_caps_resolve(&caps, NULL, NULL, 0, ~0ULL));
    json_object *p = sec_seccomp_default(caps, "x86_64");
    CHECK_STREQ(json_str(p, "defaultAction"), "SCMP_ACT_ALLOW");
    json_object *arch = json_arr(p, "architectures");
    CHECK(arch && json_object_array_length(arch) == 3);
    CHECK_STREQ(json_object_get_string(json_object_array_get_idx(arch, 0)), "SCMP_ARCH_X86_64");
    static const char *const denied[] = { "init_module", "kexec_load", "reboot", "mount", "umount2", "pivot_root", "swapon",
                                          "swapoff", "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key",
                                          "request_key", "ptrace", "process_vm_readv", "clock_settime", "settimeofday",
                                          "open_by_handle_at", "iopl", "ioperm", "setns", "clone3" };
    for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++)
        if (!denies(p, denied[i], 0)) {
            printf("#   default profile does not deny %s\n", denied[i]);
            CHECK(0);
        }
    CHECK(denies(p, "clone", 1) && denies(p, "unshare", 1) && denies(p, "personality", 1));
    CHECK(!denies(p, "clone", 0) && !denies(p, "read", 0) && !denies(p, "personality", 0));
    /* the personality rules spare the 0xffffffff query: every rule needs bit 31 clear */
    json_object *calls = json_arr(p, "syscalls");
    for (size_t i = 0; i < json_object_array_length(calls); i++) {
        json_object *r = json_object_array_get_idx(calls, i);
        if (strcmp(json_object_get_string(json_object_array_get_idx(json_arr(r, "names"), 0)), "personality") == 0) {
            json_object *a = json_object_array_get_idx(json_arr(r, "args"), 0);
            uint64_t mask = (uint64_t)json_int(a, "value", 0), want = (uint64_t)json_int(a, "valueTwo", 0);
            CHECK((mask & 0x80000000u) && !(want & 0x80000000u));
            CHECK((0xffffffffu & mask) != want);
            CHECK((0x0008u & mask) != want && (0x20000u & mask) != want);   /* PER_LINUX32, UNAME26 */
        }
        /* clone3 answers ENOSYS so the C library falls back to clone */
        if (strcmp(json_object_get_string(json_object_array_get_idx(json_arr(r, "names"), 0)), "clone3") == 0)
            CHECK(json_int(r, "errnoRet", 0) == 38);
    }
    json_object_put(p);

    /* a capability lifts its group: SYS_ADMIN allows mount and namespaces, SYS_PTRACE ptrace */
    json_object *add = list("SYS_ADMIN,SYS_PTRACE"), *c2 = NULL;
    CHECK_OK(sec_caps_resolve(&c2, add, NULL, 0, ~0ULL));
    p = sec_seccomp_default(c2, "aarch64");
    CHECK(!denies(p, "mount", 0) && !denies(p, "clone", 1) && !denies(p, "ptrace", 0) && !denies(p, "clone3", 0));
    CHECK(denies(p, "kexec_load", 0) && denies(p, "keyctl", 0));
    CHECK_STREQ(json_object_get_string(json_object_array_get_idx(json_arr(p, "architectures"), 0)), "SCMP_ARCH_AARCH64");
    json_object_put(p);
    json_object_put(c2);
    json_object_put(add);
    json_object_put(caps);
}

static int conv(json_object **out, const char *text, json_object *caps, const char *arch, const char *kernel)
{
    return sec_seccomp_convert(out, text, strlen(text), "p.json", caps, arch, kernel);
}

static void test_docker_profile(void)
{
    json_object *caps = NULL, *out = NULL;
    CHECK_OK(sec_caps_resolve(&caps, NULL, NULL, 0, ~0ULL));
    const char *docker =
        "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,"
        "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]},"
        "{\"architecture\":\"SCMP_ARCH_AARCH64\",\"subArchitectures\":[\"SCMP_ARCH_ARM\"]},"
        "{\"architecture\":\"SCMP_ARCH_RISCV64\",\"subArchitectures\":null},{\"architecture\":\"SCMP_ARCH_LOONGARCH64\"}],"
        "\"syscalls\":[{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\",\"comment\":\"x\"},"
        "{\"name\":\"ptrace\",\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"4.8\"}},"
        "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
        "{\"names\":[\"chown\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13,\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
        "{\"names\":[\"arch_prctl\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"amd64\",\"x32\"]}},"
        "{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":2114060288,\"valueTwo\":0,"
        "\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}";
    CHECK_OK(conv(&out, docker, caps, "x86_64", "6.1.0-13-amd64"));
    CHECK_STREQ(json_str(out, "defaultAction"), "SCMP_ACT_ERRNO");
    CHECK(json_int(out, "defaultErrnoRet", 0) == 1);
    json_object *arch = json_arr(out, "architectures");
    CHECK(arch && json_object_array_length(arch) == 3);
    json_object *calls = json_arr(out, "syscalls");
    /* mount left out (no CAP_SYS_ADMIN); the others kept */
    CHECK(calls && json_object_array_length(calls) == 5);
    CHECK(!denies(out, "mount", 0));
    json_object *r1 = json_object_array_get_idx(calls, 1);
    CHECK_STREQ(json_object_get_string(json_object_array_get_idx(json_arr(r1, "names"), 0)), "ptrace");
    CHECK(!json_obj(r1, "includes") && !json_obj(r1, "comment"));
    json_object *r2 = json_object_array_get_idx(calls, 2);
    CHECK(json_int(r2, "errnoRet", 0) == 13);
    json_object *a = json_object_array_get_idx(json_arr(json_object_array_get_idx(calls, 4), "args"), 0);
    CHECK(json_int(a, "value", 0) == 2114060288 && json_int(a, "index", -1) == 0);
    CHECK_STREQ(json_str(a, "op"), "SCMP_CMP_MASKED_EQ");
    json_object_put(out);

    /* on arm64 with an old kernel: arch_prctl and ptrace drop out, the ARM map is used */
    CHECK_OK(conv(&out, docker, caps, "aarch64", "4.4.0"));
    CHECK(json_object_array_length(json_arr(out, "syscalls")) == 3);
    CHECK_STREQ(json_object_get_string(json_object_array_get_idx(json_arr(out, "architectures"), 1)), "SCMP_ARCH_ARM");
    json_object_put(out);

    /* the OCI shape passes through */
    CHECK_OK(conv(&out, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
                        "\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],"
                        "\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}",
                  caps, "x86_64", NULL));
    CHECK(denies(out, "mkdirat", 0));
    CHECK_STREQ(json_object_get_string(json_object_array_get_idx(json_arr(out, "flags"), 0)), "SECCOMP_FILTER_FLAG_LOG");
    json_object_put(out);
    json_object_put(caps);
}

static void test_hostile_profiles(void)
{
    json_object *caps = NULL, *out = NULL;
    CHECK_OK(sec_caps_resolve(&caps, NULL, NULL, 0, ~0ULL));
    static const struct { const char *text, *msg; } bad[] = {
        { "", "not JSON" },
        { "{\"defaultAction\":", "not JSON" },
        { "[1,2]", "expected a JSON object" },
        { "{}", "defaultAction \"(missing)\" is not a seccomp action" },
        { "{\"defaultAction\":\"SCMP_ACT_MAYBE\"}", "SCMP_ACT_MAYBE" },
        { "{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}", "seccomp agent" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/x.sock\"}", "listenerPath" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_Z80\"]}", "architectures[0] \"SCMP_ARCH_Z80\"" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[{\"architecture\":\"x86\"}]}", "archMap[0].architecture" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":{}}", "archMap must be an array" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"FLAG_X\"]}", "flags[0]" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":{}}", "syscalls must be an array" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[7]}", "syscalls[0] must be an object" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_ALLOW\"}]}", "names no system call" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_BOOM\"}]}",
          "syscalls[0].action \"SCMP_ACT_BOOM\"" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read;rm -rf\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
          "is not a system call name" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"READ\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
          "is not a system call name" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
          "is not a system call name" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"re\\u0000ad\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
          "not a system call name" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\",3],\"action\":\"SCMP_ACT_ERRNO\"}]}",
          "syscalls[0].names[1] must be a string" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":-1}]}",
          "non-negative" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":99999}]}",
          "not an errno" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":"
          "[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}", "index 6 is out of range" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":"
          "[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_SORTA\"}]}]}", "SCMP_CMP_SORTA" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":"
          "[{\"index\":0,\"value\":\"1\",\"op\":\"SCMP_CMP_EQ\"}]}]}", "args[0].value must be a non-negative integer" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":{}}]}",
          "args must be an array" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\","
          "\"includes\":{\"caps\":[\"CAP_FLY\"]}}]}", "CAP_FLY" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\","
          "\"includes\":{\"minKernel\":\"four\"}}]}", "minKernel \"four\"" },
        { "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\","
          "\"includes\":[]}]}", "includes must be an object" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        out = NULL;
        int rc = conv(&out, bad[i].text, caps, "x86_64", "6.1.0");
        if (rc != BERTH_EINVAL || !strstr(berth_errmsg(), bad[i].msg) || !strstr(berth_errmsg(), "p.json") || out) {
            printf("#   profile %zu: rc %d, message \"%s\", wanted \"%s\"\n", i, rc, berth_errmsg(), bad[i].msg);
            CHECK(0);
        }
        json_object_put(out);
    }
    /* huge: a file over the ceiling is refused before parsing */
    size_t n = SEC_SECCOMP_MAX + 10;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[n] = '\0';
    CHECK_RC(BERTH_EINVAL, sec_seccomp_convert(&out, big, n, "big.json", caps, "x86_64", NULL));
    CHECK_MSG("big.json");
    CHECK_MSG("larger than");
    /* many rules within the size limit: the rule ceiling answers */
    size_t len = 0;
    len += (size_t)sprintf(big, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[");
    for (int i = 0; i < 5000; i++)
        len += (size_t)sprintf(big + len, "%s{\"names\":[\"read\"],\"action\":\"SCMP_ACT_LOG\"}", i ? "," : "");
    len += (size_t)sprintf(big + len, "]}");
    CHECK_RC(BERTH_EINVAL, sec_seccomp_convert(&out, big, len, "many.json", caps, "x86_64", NULL));
    CHECK_MSG("at most 4096");
    /* too many names in one rule */
    len = (size_t)sprintf(big, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_LOG\",\"names\":[");
    for (int i = 0; i < 2000; i++)
        len += (size_t)sprintf(big + len, "%s\"n%d\"", i ? "," : "", i);
    len += (size_t)sprintf(big + len, "]}]}");
    CHECK_RC(BERTH_EINVAL, sec_seccomp_convert(&out, big, len, "names.json", caps, "x86_64", NULL));
    CHECK_MSG("at most 1024");
    /* deep nesting does not crash the parser */
    len = 0;
    for (int i = 0; i < 100000; i++)
        big[len++] = '[';
    CHECK_RC(BERTH_EINVAL, sec_seccomp_convert(&out, big, len, "deep.json", caps, "x86_64", NULL));
    free(big);
    /* an unknown arch host gets no architectures (native only) and no crash */
    CHECK_OK(conv(&out, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}]}", caps,
                  "sparc", NULL));
    CHECK(json_arr(out, "architectures") == NULL);
    json_object_put(out);
    json_object_put(caps);
}

/* config.json: the security fields of the spec reach runc's document. */
static void test_config(void)
{
    static const char *const args[] = { "/bin/true" };
    static const char *const caps[] = { "CAP_CHOWN", "CAP_NET_ADMIN" };
    runtime_spec s;
    memset(&s, 0, sizeof s);
    s.id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    s.name = "t";
    s.args = args;
    s.n_args = 1;
    s.network = "none";
    oci_user u;
    memset(&u, 0, sizeof u);
    oci_paths p;
    memset(&p, 0, sizeof p);
    json_object *c = NULL;
    CHECK_OK(oci_config_build(&c, &s, &u, &p));
    json_object *sc = json_obj(json_obj(c, "linux"), "seccomp");
    CHECK(sc && denies(sc, "mount", 0));
    CHECK(json_arr(json_obj(c, "linux"), "maskedPaths") != NULL);
    json_object_put(c);

    s.caps = caps;
    s.n_caps = 2;
    s.no_new_privileges = 1;
    s.seccomp = "unconfined";
    s.apparmor = "my-profile";
    CHECK_OK(oci_config_build(&c, &s, &u, &p));
    json_object *proc = json_obj(c, "process");
    CHECK(json_object_get_boolean(json_object_object_get(proc, "noNewPrivileges")));
    CHECK_STREQ(json_str(proc, "apparmorProfile"), "my-profile");
    CHECK(json_object_array_length(json_arr(json_obj(proc, "capabilities"), "effective")) == 2);
    CHECK(!json_obj(json_obj(c, "linux"), "seccomp"));
    json_object_put(c);

    s.seccomp = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";
    s.apparmor = "unconfined";
    CHECK_OK(oci_config_build(&c, &s, &u, &p));
    CHECK(denies(json_obj(json_obj(c, "linux"), "seccomp"), "mkdir", 0));
    CHECK(!json_str(json_obj(c, "process"), "apparmorProfile"));
    json_object_put(c);

    s.privileged = 1;
    s.seccomp = NULL;
    CHECK_OK(oci_config_build(&c, &s, &u, &p));
    json_object *lx = json_obj(c, "linux");
    CHECK(!json_obj(lx, "seccomp") && !json_arr(lx, "maskedPaths") && !json_arr(lx, "readonlyPaths"));
    json_object *dev0 = json_object_array_get_idx(json_arr(json_obj(lx, "resources"), "devices"), 0);
    CHECK(json_object_get_boolean(json_object_object_get(dev0, "allow")));
    json_object_put(c);

    json_object *devs = oci_host_devices();
    CHECK(devs && json_object_is_type(devs, json_type_array));
    int has_null = 0;
    for (size_t i = 0; i < json_object_array_length(devs); i++)
        has_null |= strcmp(json_str(json_object_array_get_idx(devs, i), "path"), "/dev/null") == 0;
    CHECK(has_null);
    json_object_put(devs);
}

/* The request's options into the stored spec's "security" object (container/security.c). */
static int resolve(json_object **sec, const char *os, const char *req_json)
{
    json_object *spec = json_object_new_object(), *req = json_tokener_parse(req_json);
    json_object_object_add(spec, "os", json_object_new_string(os));
    int rc = container_security_resolve(spec, req);
    *sec = json_object_get(json_obj(spec, "security"));
    json_object_put(spec);
    json_object_put(req);
    return rc;
}

static void test_request_options(void)
{
    json_object *s = NULL;
    CHECK_OK(resolve(&s, "linux", "{}"));
    CHECK_STREQ(json_str(s, "seccomp"), "default");
    CHECK(!json_object_get_boolean(json_object_object_get(s, "no_new_privileges")));
    CHECK(json_object_array_length(json_arr(s, "capabilities")) == sec_n_default_caps);
    json_object_put(s);

    CHECK_OK(resolve(&s, "linux", "{\"security_opt\":[\"no-new-privileges:true\",\"seccomp:unconfined\",\"apparmor=unconfined\"],"
                                  "\"cap_add\":[\"net_admin\"],\"cap_drop\":[\"CAP_CHOWN\"]}"));
    CHECK(json_object_get_boolean(json_object_object_get(s, "no_new_privileges")));
    CHECK_STREQ(json_str(s, "seccomp"), "unconfined");
    CHECK_STREQ(json_str(s, "apparmor"), "unconfined");
    CHECK_STREQ(json_object_get_string(json_object_array_get_idx(json_arr(s, "cap_add"), 0)), "CAP_NET_ADMIN");
    CHECK(sec_caps_has(json_arr(s, "capabilities"), "CAP_NET_ADMIN") && !sec_caps_has(json_arr(s, "capabilities"), "CAP_CHOWN"));
    json_object_put(s);

    CHECK_OK(resolve(&s, "linux", "{\"security_opt\":[\"no-new-privileges\",\"no-new-privileges=false\"]}"));
    CHECK(!json_object_get_boolean(json_object_object_get(s, "no_new_privileges")));   /* the last one wins */
    json_object_put(s);

    /* privileged: no seccomp even with a profile, like docker */
    CHECK_OK(resolve(&s, "linux", "{\"privileged\":true,\"security_opt\":[\"seccomp=/nonexistent.json\"]}"));
    CHECK_STREQ(json_str(s, "seccomp"), "unconfined");
    CHECK(json_object_get_boolean(json_object_object_get(s, "privileged")));
    json_object_put(s);

    /* a profile file is read and converted at create */
    char dir[] = "/tmp/berth-sec-XXXXXX", file[64];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(file, sizeof file, "%s/p.json", dir);
    FILE *f = fopen(file, "w");
    if (f) {
        fputs("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"name\":\"mkdir\",\"action\":\"SCMP_ACT_ERRNO\"}]}", f);
        fclose(f);
    }
    char req[256];
    snprintf(req, sizeof req, "{\"security_opt\":[\"seccomp=%s\"]}", file);
    CHECK_OK(resolve(&s, "linux", req));
    CHECK_STREQ(json_str(s, "seccomp"), "custom");
    CHECK_STREQ(json_str(s, "seccomp_file"), file);
    CHECK(denies(json_obj(s, "seccomp_profile"), "mkdir", 0));
    json_object_put(s);
    remove(file);
    rmdir(dir);

    static const struct { const char *os, *req, *msg; } bad[] = {
        { "linux", "{\"security_opt\":[\"no-new-privileges=maybe\"]}", "true or false" },
        { "linux", "{\"security_opt\":[\"label=type:svirt_t\"]}", "SELinux" },
        { "linux", "{\"security_opt\":[\"seccomp\"]}", "Berth knows" },
        { "linux", "{\"security_opt\":[\"=x\"]}", "KEY=VALUE" },
        { "linux", "{\"security_opt\":[\"seccomp=/nonexistent/p.json\"]}", "/nonexistent/p.json" },
        { "linux", "{\"cap_drop\":[\"CAP_NOPE\"]}", "CAP_NOPE" },
        { "windows", "{\"cap_add\":[\"NET_ADMIN\"]}", "Linux container options" },
        { "windows", "{\"privileged\":true}", "Linux container options" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = resolve(&s, bad[i].os, bad[i].req);
        if (rc != BERTH_EINVAL && !(rc != 0 && strstr(bad[i].msg, "nonexistent")))
            CHECK(0);
        if (!strstr(berth_errmsg(), bad[i].msg) || s) {
            printf("#   request %zu: rc %d message \"%s\", wanted \"%s\"\n", i, rc, berth_errmsg(), bad[i].msg);
            CHECK(0);
        }
        json_object_put(s);
        s = NULL;
    }
    /* AppArmor: a named profile only where it is enabled */
    int enabled = access("/sys/module/apparmor/parameters/enabled", F_OK) == 0;
    int rc = resolve(&s, "linux", "{\"security_opt\":[\"apparmor=my-profile\"]}");
    if (!enabled) {
        CHECK(rc == BERTH_EINVAL);
        CHECK_MSG("AppArmor is not enabled on this host");
    }
    json_object_put(s);
    /* a Windows image without options gets no security object */
    CHECK_OK(resolve(&s, "windows", "{}"));
    CHECK(s == NULL);
}

int main(void)
{
    RUN(test_cap_names);
    RUN(test_cap_rules);
    RUN(test_default_profile);
    RUN(test_docker_profile);
    RUN(test_hostile_profiles);
    RUN(test_config);
    RUN(test_request_options);
    return check_done();
}
