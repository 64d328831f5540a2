/* Platforms: parsing "os/arch[/variant][:os.version]", normalising the many spellings of an
 * architecture to the OCI names (as containerd's platforms package does), and printing them.
 * The matching rules live in platform_match.c; this host's platform in platform_<os>.c. */
#include "platform/platform.h"
#include "core/error.h"
#include "core/json.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* ASCII case-insensitive equality (strcasecmp is not in the C library on Windows). */
static int same_word(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

static void set(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src);
}

void platform_normalize(berth_platform *p)
{
    lower(p->os);
    lower(p->arch);
    lower(p->variant);
    if (strcmp(p->os, "macos") == 0)
        set(p->os, sizeof p->os, "darwin");
    /* The aliases and variants as containerd's platforms package (normalizeArch) has them, so
     * that a --platform and an index entry mean the same to us as to containerd and docker. */
    const char *a = p->arch, *v = p->variant;
    if (!strcmp(a, "x86_64") || !strcmp(a, "x86-64") || !strcmp(a, "x64") || !strcmp(a, "amd64")) {
        set(p->arch, sizeof p->arch, "amd64");
        if (!strcmp(v, "v1"))
            p->variant[0] = '\0';   /* amd64/v1 is the baseline */
    } else if (!strcmp(a, "i386") || !strcmp(a, "i486") || !strcmp(a, "i586") || !strcmp(a, "i686") ||
               !strcmp(a, "x86")) {
        set(p->arch, sizeof p->arch, "386");
        p->variant[0] = '\0';
    } else if (!strcmp(a, "aarch64") || !strcmp(a, "arm64")) {
        set(p->arch, sizeof p->arch, "arm64");
        if (!strcmp(v, "8") || !strcmp(v, "v8"))
            p->variant[0] = '\0';   /* docker and containerd treat arm64/v8 as plain arm64 */
    } else if (!strcmp(a, "armhf")) {
        set(p->arch, sizeof p->arch, "arm");
        set(p->variant, sizeof p->variant, "v7");
    } else if (!strcmp(a, "armel")) {
        set(p->arch, sizeof p->arch, "arm");
        set(p->variant, sizeof p->variant, "v6");
    } else if (!strcmp(a, "arm")) {
        if (!v[0] || !strcmp(v, "7"))
            set(p->variant, sizeof p->variant, "v7");
        else if (!strcmp(v, "5") || !strcmp(v, "6") || !strcmp(v, "8")) {
            char d = v[0];
            p->variant[0] = 'v';
            p->variant[1] = d;
            p->variant[2] = '\0';
        }
    }
}

/* The operating systems and architectures Go knows (containerd's database.go): a platform of
 * one word is one of these, as containerd reads it. */
static int known_os(const char *s)
{
    static const char *const os[] = { "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos",
                                      "ios", "js", "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris",
                                      "windows", "zos" };
    for (size_t i = 0; i < sizeof os / sizeof os[0]; i++)
        if (!strcmp(s, os[i]))
            return 1;
    return 0;
}

static int known_arch(const char *s)
{
    static const char *const arch[] = { "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64",
                                        "ppc64le", "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32",
                                        "mips64p32le", "ppc", "riscv", "riscv64", "s390", "s390x", "sparc",
                                        "sparc64", "wasm" };
    for (size_t i = 0; i < sizeof arch / sizeof arch[0]; i++)
        if (!strcmp(s, arch[i]))
            return 1;
    return 0;
}

/* Copies s[0, n) into dst if it fits and is made of [A-Za-z0-9_.-]. */
static int take(char *dst, size_t len, const char *s, size_t n, const char *spec, const char *what)
{
    if (n == 0)
        return berth_fail(BERTH_EINVAL, "platform \"%s\": the %s is empty; write os/arch[/variant][:os.version], "
                          "e.g. linux/amd64 or windows/amd64:10.0.20348", spec, what);
    if (n >= len)
        return berth_fail(BERTH_EINVAL, "platform \"%s\": the %s is too long", spec, what);
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
            return berth_fail(BERTH_EINVAL, "platform \"%s\": character %zu ('%c') is not allowed in the %s",
                              spec, (size_t)(s - spec) + i + 1, s[i], what);
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

/* Checks and copies an os.version: numbers joined by dots. */
static int take_version(berth_platform *out, const char *v, size_t vl, const char *spec)
{
    size_t digits = 0;
    for (size_t i = 0; i < vl; i++)
        digits += v[i] >= '0' && v[i] <= '9';
    int dots_ok = vl > 0 && v[0] != '.' && v[vl - 1] != '.';
    for (size_t i = 0; dots_ok && i + 1 < vl; i++)
        dots_ok = !(v[i] == '.' && v[i + 1] == '.');
    for (size_t i = 0; dots_ok && i < vl; i++)
        dots_ok = (v[i] >= '0' && v[i] <= '9') || v[i] == '.';
    if (!dots_ok || vl >= sizeof out->os_version || digits == 0)
        return berth_fail(BERTH_EINVAL, "platform \"%s\": os.version \"%.*s\" must be numbers joined by dots, "
                          "e.g. 10.0.20348 or 10.0.20348.2113", spec, (int)(vl > 64 ? 64 : vl), v);
    memcpy(out->os_version, v, vl);
    out->os_version[vl] = '\0';
    return 0;
}

int platform_parse(berth_platform *out, const char *s)
{
    memset(out, 0, sizeof *out);
    if (!s || !*s)
        return berth_fail(BERTH_EINVAL, "platform: empty; write os/arch[/variant][:os.version], e.g. linux/arm64");
    const char *colon = strchr(s, ':');
    size_t body = colon ? (size_t)(colon - s) : strlen(s);
    const char *parts[3] = { s, NULL, NULL };
    size_t lens[3] = { 0 };
    int n = 1;
    /* containerd's form "os(os.version)/arch": the version in parentheses after the os */
    const char *open = memchr(s, '(', body), *close = NULL;
    size_t scan_from = 0;
    if (open) {
        close = memchr(open, ')', body - (size_t)(open - s));
        if (!close || colon)
            return berth_fail(BERTH_EINVAL, "platform \"%s\": write the os.version either as os(version)/arch "
                              "or as os/arch:version, e.g. windows(10.0.20348)/amd64", s);
        if (memchr(s, '/', (size_t)(open - s)))
            return berth_fail(BERTH_EINVAL, "platform \"%s\": the (os.version) belongs right after the os, "
                              "e.g. windows(10.0.20348)/amd64", s);
        if (close + 1 < s + body && close[1] != '/')
            return berth_fail(BERTH_EINVAL, "platform \"%s\": only \"/arch\" may follow \"(os.version)\"", s);
        if (memchr(open + 1, '+', (size_t)(close - open - 1)))
            return berth_fail(BERTH_EINVAL, "platform \"%s\": OS features (+feature) are not supported; "
                              "name the os.version only", s);
        scan_from = (size_t)(close - s) + 1;
    }
    for (size_t i = scan_from; i < body; i++) {
        if (s[i] != '/')
            continue;
        if (n == 3)
            return berth_fail(BERTH_EINVAL, "platform \"%s\": too many parts; write os/arch[/variant][:os.version]", s);
        parts[n++] = s + i + 1;
    }
    for (int i = 0; i < n; i++)
        lens[i] = (size_t)((i + 1 < n ? parts[i + 1] - 1 : s + body) - parts[i]);
    if (open)
        lens[0] = (size_t)(open - s);
    int rc = take(out->os, sizeof out->os, parts[0], lens[0], s, "os");
    if (rc == 0 && open && close > open + 1)
        rc = take_version(out, open + 1, (size_t)(close - open - 1), s);
    if (rc == 0 && n == 1) {
        /* One word, as containerd reads it: an os with this host's architecture ("linux"), or
         * an architecture on this host's os ("arm64", "x86_64"). */
        berth_platform host, probe = *out;
        set(probe.arch, sizeof probe.arch, out->os);
        platform_normalize(&probe);
        if ((rc = platform_host(&host)) == 0) {
            char word[sizeof out->os];
            set(word, sizeof word, out->os);
            lower(word);
            if (!strcmp(word, "macos"))
                set(word, sizeof word, "darwin");
            if (known_os(word)) {
                set(out->arch, sizeof out->arch, host.arch);
                set(out->variant, sizeof out->variant, host.variant);
            } else if (known_arch(probe.arch) && !open) {
                set(out->os, sizeof out->os, host.os);
                set(out->arch, sizeof out->arch, probe.arch);
                set(out->variant, sizeof out->variant, probe.variant);
            } else {
                rc = berth_fail(BERTH_EINVAL, "platform \"%s\": \"%s\" is neither a known operating system nor an "
                                "architecture; write os/arch, e.g. linux/amd64", s, out->os);
            }
        }
    }
    if (rc == 0 && n > 1)
        rc = take(out->arch, sizeof out->arch, parts[1], lens[1], s, "architecture");
    if (rc == 0 && n > 2)
        rc = take(out->variant, sizeof out->variant, parts[2], lens[2], s, "variant");
    if (rc == 0 && colon)
        rc = take_version(out, colon + 1, strlen(colon + 1), s);
    if (rc) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    platform_normalize(out);
    return 0;
}

int platform_parse_isolation(berth_isolation *out, const char *s)
{
    *out = ISOLATION_DEFAULT;
    if (!s || !*s || same_word(s, "default"))
        return 0;
    if (same_word(s, "process")) {
        *out = ISOLATION_PROCESS;
        return 0;
    }
    if (same_word(s, "hyperv") || same_word(s, "hyper-v")) {
        *out = ISOLATION_HYPERV;
        return 0;
    }
    return berth_fail(BERTH_EINVAL, "isolation \"%s\": use process or hyperv", s);
}

const char *platform_isolation_name(berth_isolation iso)
{
    return iso == ISOLATION_PROCESS ? "process" : iso == ISOLATION_HYPERV ? "hyperv" : "default";
}

void platform_format(const berth_platform *p, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s%s%s%s%s", p->os, p->arch, p->variant[0] ? "/" : "", p->variant,
             p->os_version[0] ? ":" : "", p->os_version);
}

int berth_platform_host(char **out_json)
{
    berth_error_clear();
    if (!out_json)
        return berth_fail(BERTH_EINVAL, "berth_platform_host: out_json is NULL");
    *out_json = NULL;
    berth_platform p;
    int rc = platform_host(&p);
    if (rc)
        return rc;
    json_object *o = json_object_new_object();
    if (!o)
        return berth_fail_oom();
    json_object_object_add(o, "os", json_object_new_string(p.os));
    json_object_object_add(o, "architecture", json_object_new_string(p.arch));
    json_object_object_add(o, "variant", p.variant[0] ? json_object_new_string(p.variant) : NULL);
    json_object_object_add(o, "os_version", p.os_version[0] ? json_object_new_string(p.os_version) : NULL);
    return json_hand_out(out_json, o);
}
