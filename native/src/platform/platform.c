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
    const char *a = p->arch;
    if (!strcmp(a, "x86_64") || !strcmp(a, "x86-64") || !strcmp(a, "x64"))
        set(p->arch, sizeof p->arch, "amd64");
    else if (!strcmp(a, "i386") || !strcmp(a, "i486") || !strcmp(a, "i586") || !strcmp(a, "i686") || !strcmp(a, "x86"))
        set(p->arch, sizeof p->arch, "386");
    else if (!strcmp(a, "aarch64"))
        set(p->arch, sizeof p->arch, "arm64");
    else if (!strcmp(a, "armhf")) {
        set(p->arch, sizeof p->arch, "arm");
        set(p->variant, sizeof p->variant, "v7");
    } else if (!strcmp(a, "armel")) {
        set(p->arch, sizeof p->arch, "arm");
        set(p->variant, sizeof p->variant, "v6");
    }
    /* bare digits ("7") are the same variant as "v7" */
    if (p->variant[0] >= '0' && p->variant[0] <= '9' && strlen(p->variant) + 1 < sizeof p->variant) {
        memmove(p->variant + 1, p->variant, strlen(p->variant) + 1);
        p->variant[0] = 'v';
    }
    if (!strcmp(p->arch, "arm64") && !strcmp(p->variant, "v8"))
        p->variant[0] = '\0';       /* docker treats arm64/v8 as plain arm64 */
    if (!strcmp(p->arch, "arm") && !p->variant[0])
        set(p->variant, sizeof p->variant, "v7");
    if (!strcmp(p->arch, "amd64") && !strcmp(p->variant, "v1"))
        p->variant[0] = '\0';       /* amd64/v1 is the baseline */
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
    for (size_t i = 0; i < body; i++) {
        if (s[i] != '/')
            continue;
        if (n == 3)
            return berth_fail(BERTH_EINVAL, "platform \"%s\": too many parts; write os/arch[/variant][:os.version]", s);
        parts[n++] = s + i + 1;
    }
    for (int i = 0; i < n; i++)
        lens[i] = (size_t)((i + 1 < n ? parts[i + 1] - 1 : s + body) - parts[i]);
    int rc = take(out->os, sizeof out->os, parts[0], lens[0], s, "os");
    if (rc == 0 && n == 1) {
        /* "linux" alone: this host's architecture, as containerd reads it */
        berth_platform host;
        if ((rc = platform_host(&host)) == 0) {
            set(out->arch, sizeof out->arch, host.arch);
            set(out->variant, sizeof out->variant, host.variant);
        }
    }
    if (rc == 0 && n > 1)
        rc = take(out->arch, sizeof out->arch, parts[1], lens[1], s, "architecture");
    if (rc == 0 && n > 2)
        rc = take(out->variant, sizeof out->variant, parts[2], lens[2], s, "variant");
    if (rc == 0 && colon) {
        const char *v = colon + 1;
        size_t vl = strlen(v);
        if (vl == 0 || vl >= sizeof out->os_version || strspn(v, "0123456789.") != vl || v[0] == '.' ||
            v[vl - 1] == '.' || strstr(v, ".."))
            rc = berth_fail(BERTH_EINVAL, "platform \"%s\": os.version \"%s\" must be numbers joined by dots, "
                            "e.g. 10.0.20348 or 10.0.20348.2113", s, v);
        else
            memcpy(out->os_version, v, vl + 1);
    }
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
