/* Platform parsing, normalisation and the matching rules — above all the Windows ones, for
 * hosts 17763, 19041, 20348, 25398 and 26100 against older, equal and newer images, under
 * process and Hyper-V isolation. */
#include "check.h"
#include "platform/platform.h"
#include <json-c/json.h>
#include <stdlib.h>

static berth_platform P(const char *s)
{
    berth_platform p;
    if (platform_parse(&p, s) != 0)
        printf("#   parse %s: %s\n", s, berth_errmsg());
    return p;
}

/* A parsed platform that lives until 8 more calls: enough for one expression. */
static const berth_platform *PP(const char *s)
{
    static berth_platform ring[8];
    static int next;
    berth_platform *p = &ring[next++ % 8];
    *p = P(s);
    return p;
}

static void parse_and_normalise(void)
{
    static const struct { const char *in, *os, *arch, *variant, *version; } t[] = {
        { "linux/amd64", "linux", "amd64", "", "" },
        { "linux/x86_64", "linux", "amd64", "", "" },
        { "Linux/AMD64", "linux", "amd64", "", "" },
        { "linux/x86-64", "linux", "amd64", "", "" },
        { "linux/aarch64", "linux", "arm64", "", "" },
        { "linux/arm64/v8", "linux", "arm64", "", "" },
        { "linux/aarch64/v8", "linux", "arm64", "", "" },
        { "linux/arm64/v9", "linux", "arm64", "v9", "" },
        { "linux/armhf", "linux", "arm", "v7", "" },
        { "linux/armel", "linux", "arm", "v6", "" },
        { "linux/arm", "linux", "arm", "v7", "" },
        { "linux/arm/7", "linux", "arm", "v7", "" },
        { "linux/arm/v5", "linux", "arm", "v5", "" },
        { "linux/i386", "linux", "386", "", "" },
        { "linux/i686", "linux", "386", "", "" },
        { "linux/ppc64le", "linux", "ppc64le", "", "" },
        { "linux/s390x", "linux", "s390x", "", "" },
        { "windows/amd64:10.0.20348", "windows", "amd64", "", "10.0.20348" },
        { "windows/amd64:10.0.17763.5206", "windows", "amd64", "", "10.0.17763.5206" },
        { "windows/arm64:10.0.26100.1", "windows", "arm64", "", "10.0.26100.1" },
        /* containerd's platforms tests and normalizeArch (platforms_test.go, database.go) */
        { "Linux/x86_64", "linux", "amd64", "", "" },
        { "linux/amd64/v1", "linux", "amd64", "", "" },
        { "linux/amd64/v3", "linux", "amd64", "v3", "" },
        { "linux/x86_64/v2", "linux", "amd64", "v2", "" },
        { "linux/arm64/8", "linux", "arm64", "", "" },
        { "linux/AArch64/V8", "linux", "arm64", "", "" },
        { "linux/arm/5", "linux", "arm", "v5", "" },
        { "linux/arm/6", "linux", "arm", "v6", "" },
        { "linux/arm/8", "linux", "arm", "v8", "" },
        { "linux/arm/v6", "linux", "arm", "v6", "" },
        { "linux/armhf/v6", "linux", "arm", "v7", "" },     /* the alias decides the variant */
        { "linux/i386/v7", "linux", "386", "", "" },        /* 386 has no variants */
        { "linux/amd64/3", "linux", "amd64", "3", "" },      /* bare digits: only arm and arm64 get a 'v' */
        { "linux/riscv64", "linux", "riscv64", "", "" },
        { "macOS/arm64", "darwin", "arm64", "", "" },
        { "windows(10.0.17763)/amd64", "windows", "amd64", "", "10.0.17763" },
        { "windows(10.0.20348.2113)/arm64/v8", "windows", "arm64", "", "10.0.20348.2113" },
        { "windows()/amd64", "windows", "amd64", "", "" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        berth_platform p;
        int rc = platform_parse(&p, t[i].in);
        if (rc)
            printf("#   %s: %s\n", t[i].in, berth_errmsg());
        CHECK(rc == 0);
        CHECK_STREQ(p.os, t[i].os);
        CHECK_STREQ(p.arch, t[i].arch);
        CHECK_STREQ(p.variant, t[i].variant);
        CHECK_STREQ(p.os_version, t[i].version);
    }
    static const char *bad[] = { "", "linux/", "/amd64", "linux/amd64/v7/x", "windows/amd64:", "windows/amd64:10..0",
                                 "windows/amd64:abc", "windows/amd64:10.0.", "linux/am d64", "linux/amd64/",
                                 "windows/amd64:.10",
                                 /* containerd's invalid selectors */
                                 "/linux/arm", "linux/arm/", "linux /arm", "linux/&arm", "linux/arm/foo/bar",
                                 /* one word that is neither an os nor an architecture */
                                 "foo", "amd", "*",
                                 /* the os(version) form, misused */
                                 "windows(10.0.17763+win32k)/amd64", "windows(10.0", "windows(abc)/amd64",
                                 "windows(10.0.17763)/amd64:10.0.17763", "linux/amd64(1.0)", "windows(1)x/amd64",
                                 NULL };
    for (int i = 0; bad[i]; i++) {
        berth_platform p;
        int rc = platform_parse(&p, bad[i]);
        if (rc != BERTH_EINVAL)
            printf("#   \"%s\" parsed\n", bad[i]);
        CHECK(rc == BERTH_EINVAL);
        CHECK_MSG("platform");
    }
    /* "linux" alone takes this host's architecture */
    berth_platform host, p;
    CHECK_OK(platform_host(&host));
    CHECK_OK(platform_parse(&p, "linux"));
    CHECK_STREQ(p.arch, host.arch);
    /* one word that is an architecture (containerd): this host's os with it */
    static const struct { const char *in, *arch, *variant; } words[] = {
        { "arm64", "arm64", "" }, { "Aarch64", "arm64", "" }, { "x86_64", "amd64", "" }, { "i386", "386", "" },
        { "armel", "arm", "v6" }, { "armhf", "arm", "v7" }, { "arm", "arm", "v7" }, { "s390x", "s390x", "" },
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        berth_platform w;
        CHECK_OK(platform_parse(&w, words[i].in));
        CHECK_STREQ(w.os, host.os);
        CHECK_STREQ(w.arch, words[i].arch);
        CHECK_STREQ(w.variant, words[i].variant);
    }
    CHECK_OK(platform_parse(&p, "macOS"));
    CHECK_STREQ(p.os, "darwin");
    CHECK_STREQ(p.arch, host.arch);
    CHECK_OK(platform_parse(&p, "windows(10.0.17763)"));
    CHECK_STREQ(p.os, "windows");
    CHECK_STREQ(p.os_version, "10.0.17763");
    CHECK_STREQ(p.arch, host.arch);
    char buf[128];
    platform_format(PP("windows/amd64:10.0.20348.1"), buf, sizeof buf);
    CHECK_STREQ(buf, "windows/amd64:10.0.20348.1");
    platform_format(PP("linux/armhf"), buf, sizeof buf);
    CHECK_STREQ(buf, "linux/arm/v7");
}

static void isolation_names(void)
{
    berth_isolation i;
    CHECK_OK(platform_parse_isolation(&i, NULL));
    CHECK(i == ISOLATION_DEFAULT);
    CHECK_OK(platform_parse_isolation(&i, "process"));
    CHECK(i == ISOLATION_PROCESS);
    CHECK_OK(platform_parse_isolation(&i, "HyperV"));
    CHECK(i == ISOLATION_HYPERV);
    CHECK_OK(platform_parse_isolation(&i, "hyper-v"));
    CHECK(i == ISOLATION_HYPERV);
    CHECK_RC(BERTH_EINVAL, platform_parse_isolation(&i, "vm"));
    CHECK_STREQ(platform_isolation_name(ISOLATION_HYPERV), "hyperv");
}

/* host build, image build, isolation, accepted? */
static const struct {
    unsigned host, image;
    berth_isolation iso;
    int ok;
} windows_rules[] = {
    /* before 20348: process isolation only for the host's own build */
    { 17763, 17763, ISOLATION_PROCESS, 1 }, { 17763, 14393, ISOLATION_PROCESS, 0 },
    { 17763, 19041, ISOLATION_PROCESS, 0 }, { 17763, 20348, ISOLATION_PROCESS, 0 },
    { 17763, 14393, ISOLATION_HYPERV, 1 },  { 17763, 17763, ISOLATION_HYPERV, 1 },
    { 17763, 19041, ISOLATION_HYPERV, 0 },
    { 19041, 19041, ISOLATION_PROCESS, 1 }, { 19041, 17763, ISOLATION_PROCESS, 0 },
    { 19041, 20348, ISOLATION_PROCESS, 0 }, { 19041, 17763, ISOLATION_HYPERV, 1 },
    { 19041, 20348, ISOLATION_HYPERV, 0 },  { 19041, 17763, ISOLATION_DEFAULT, 0 },
    /* 20348 and later: images from 20348 up to the host's own build */
    { 20348, 20348, ISOLATION_PROCESS, 1 }, { 20348, 17763, ISOLATION_PROCESS, 0 },
    { 20348, 19041, ISOLATION_PROCESS, 0 }, { 20348, 25398, ISOLATION_PROCESS, 0 },
    { 20348, 17763, ISOLATION_HYPERV, 1 },  { 20348, 26100, ISOLATION_HYPERV, 0 },
    { 25398, 25398, ISOLATION_PROCESS, 1 }, { 25398, 20348, ISOLATION_PROCESS, 1 },
    { 25398, 22621, ISOLATION_PROCESS, 1 }, { 25398, 19041, ISOLATION_PROCESS, 0 },
    { 25398, 17763, ISOLATION_PROCESS, 0 }, { 25398, 26100, ISOLATION_PROCESS, 0 },
    { 25398, 17763, ISOLATION_HYPERV, 1 },  { 25398, 26100, ISOLATION_HYPERV, 0 },
    { 26100, 26100, ISOLATION_PROCESS, 1 }, { 26100, 25398, ISOLATION_PROCESS, 1 },
    { 26100, 20348, ISOLATION_PROCESS, 1 }, { 26100, 20347, ISOLATION_PROCESS, 0 },
    { 26100, 17763, ISOLATION_PROCESS, 0 }, { 26100, 26200, ISOLATION_PROCESS, 0 },
    { 26100, 17763, ISOLATION_HYPERV, 1 },  { 26100, 26100, ISOLATION_HYPERV, 1 },
    { 26100, 26200, ISOLATION_HYPERV, 0 },  { 26100, 20348, ISOLATION_DEFAULT, 1 },
};

static void windows_build_rules(void)
{
    for (size_t i = 0; i < sizeof windows_rules / sizeof windows_rules[0]; i++) {
        char hs[64], is[64], why[400];
        /* revisions deliberately disagree: they must never decide */
        snprintf(hs, sizeof hs, "windows/amd64:10.0.%u.100", windows_rules[i].host);
        snprintf(is, sizeof is, "windows/amd64:10.0.%u.9999", windows_rules[i].image);
        berth_platform h = P(hs), c = P(is);
        int ok = platform_accepts(&h, windows_rules[i].iso, &c, why, sizeof why);
        if (ok != windows_rules[i].ok)
            printf("#   host %u image %u %s: got %d (%s)\n", windows_rules[i].host, windows_rules[i].image,
                   platform_isolation_name(windows_rules[i].iso), ok, why);
        CHECK(ok == windows_rules[i].ok);
        CHECK(ok ? why[0] == '\0' : why[0] != '\0');
    }
}

static void windows_messages(void)
{
    char why[400];
    berth_platform h = P("windows/amd64:10.0.20348.2113");
    CHECK(!platform_accepts(&h, ISOLATION_PROCESS, PP("windows/amd64:10.0.17763.5206"), why, sizeof why));
    CHECK(strstr(why, "process isolation needs build 20348") && strstr(why, "hyperv") && strstr(why, "17763"));
    CHECK(!platform_accepts(&h, ISOLATION_HYPERV, PP("windows/amd64:10.0.26100.1"), why, sizeof why));
    CHECK(strstr(why, "newer than this host's build 20348") != NULL);
    berth_platform h2 = P("windows/amd64:10.0.26100.1");
    CHECK(!platform_accepts(&h2, ISOLATION_PROCESS, PP("windows/amd64:10.0.17763.1"), why, sizeof why));
    CHECK(strstr(why, "20348 to 26100") != NULL);
    /* numbers, not text: 9 < 10 */
    CHECK(platform_accepts(PP("windows/amd64:10.0.10000"), ISOLATION_HYPERV, PP("windows/amd64:10.0.9999"), why, sizeof why));
    CHECK(!platform_accepts(PP("windows/amd64:10.0.9999"), ISOLATION_HYPERV, PP("windows/amd64:10.0.10000"), why, sizeof why));
    /* os, architecture and odd versions */
    CHECK(!platform_accepts(&h, ISOLATION_PROCESS, PP("linux/amd64"), why, sizeof why));
    CHECK(strstr(why, "os linux, not windows") != NULL);
    CHECK(!platform_accepts(&h, ISOLATION_PROCESS, PP("windows/arm64:10.0.20348"), why, sizeof why));
    CHECK(strstr(why, "architecture arm64") != NULL);
    berth_platform odd = P("windows/amd64");
    snprintf(odd.os_version, sizeof odd.os_version, "10.0.x");
    CHECK(!platform_accepts(&h, ISOLATION_PROCESS, &odd, why, sizeof why));
    CHECK(strstr(why, "not a Windows version") != NULL);
    /* no build on either side: nothing to check */
    CHECK(platform_accepts(PP("windows/amd64"), ISOLATION_PROCESS, PP("windows/amd64:10.0.17763.1"), why, sizeof why));
    CHECK(platform_accepts(&h, ISOLATION_PROCESS, PP("windows/amd64"), why, sizeof why));
}

static void linux_rules(void)
{
    char why[200];
    CHECK(platform_accepts(PP("linux/amd64"), ISOLATION_DEFAULT, PP("linux/amd64"), why, sizeof why));
    CHECK(!platform_accepts(PP("linux/amd64"), ISOLATION_DEFAULT, PP("linux/arm64"), why, sizeof why));
    CHECK(platform_accepts(PP("linux/arm64"), ISOLATION_DEFAULT, PP("linux/arm64/v8"), why, sizeof why));
    CHECK(platform_accepts(PP("linux/arm/v7"), ISOLATION_DEFAULT, PP("linux/arm/v6"), why, sizeof why));
    CHECK(!platform_accepts(PP("linux/arm/v6"), ISOLATION_DEFAULT, PP("linux/arm/v7"), why, sizeof why));
    CHECK(strstr(why, "variant v7, not v6") != NULL);
    CHECK(!platform_accepts(PP("linux/arm64"), ISOLATION_DEFAULT, PP("linux/arm/v7"), why, sizeof why));
    /* os.version never matters on Linux */
    CHECK(platform_accepts(PP("linux/amd64"), ISOLATION_DEFAULT, PP("linux/amd64:5.10"), why, sizeof why));
}

static const char *index_platforms[] = {
    "linux/amd64", "windows/amd64:10.0.17763.5206", "windows/amd64:10.0.20348.2113",
    "windows/amd64:10.0.20348.2227", "windows/amd64:10.0.26100.100", "windows/arm64:10.0.26100.200",
};

static int choose(const char *host, berth_isolation iso, size_t *idx)
{
    berth_platform c[6];
    for (int i = 0; i < 6; i++)
        c[i] = P(index_platforms[i]);
    berth_platform h = P(host);
    return platform_choose(idx, &h, iso, c, 6);
}

static void choose_closest_build_then_revision(void)
{
    size_t i = 99;
    CHECK_OK(choose("windows/amd64:10.0.26100.50", ISOLATION_PROCESS, &i));
    CHECK(i == 4);
    CHECK_OK(choose("windows/amd64:10.0.25398.1", ISOLATION_PROCESS, &i));
    CHECK(i == 3);                 /* 20348, and of its two the higher revision */
    CHECK_OK(choose("windows/amd64:10.0.20348.1", ISOLATION_PROCESS, &i));
    CHECK(i == 3);                 /* the revision never refuses: .2227 > host's .1 is fine */
    CHECK_OK(choose("windows/amd64:10.0.20348.1", ISOLATION_HYPERV, &i));
    CHECK(i == 3);
    CHECK_OK(choose("windows/amd64:10.0.19041.1", ISOLATION_HYPERV, &i));
    CHECK(i == 1);
    CHECK_OK(choose("windows/amd64:10.0.17763.1", ISOLATION_PROCESS, &i));
    CHECK(i == 1);
    CHECK_OK(choose("windows/arm64:10.0.26100.1", ISOLATION_PROCESS, &i));
    CHECK(i == 5);
    CHECK_OK(choose("linux/amd64", ISOLATION_DEFAULT, &i));
    CHECK(i == 0);
}

static void choose_failure_lists_every_rule(void)
{
    size_t i = 99;
    CHECK_RC(BERTH_EPLATFORM, choose("windows/amd64:10.0.19041.1", ISOLATION_PROCESS, &i));
    CHECK(i == 99);
    CHECK_MSG("no image for windows/amd64:10.0.19041.1 (process isolation)");
    CHECK_MSG("linux/amd64: os linux, not windows");
    CHECK_MSG("windows/amd64:10.0.17763.5206: process isolation needs build 19041");
    CHECK_MSG("windows/amd64:10.0.20348.2113: build 20348 is newer");
    CHECK_MSG("windows/arm64:10.0.26100.200: architecture arm64, not amd64");
    CHECK_RC(BERTH_EPLATFORM, choose("linux/s390x", ISOLATION_DEFAULT, &i));
    CHECK_MSG("no image for linux/s390x; the index offers:\n  linux/amd64: architecture amd64, not s390x");
    berth_platform h = P("linux/amd64");
    CHECK_RC(BERTH_EPLATFORM, platform_choose(&i, &h, ISOLATION_DEFAULT, NULL, 0));
    CHECK_MSG("lists no images");
}

static void choose_variants(void)
{
    berth_platform c[3] = { P("linux/arm/v5"), P("linux/arm/v6"), P("linux/arm/v7") };
    berth_platform h = P("linux/arm/v7");
    size_t i = 99;
    CHECK_OK(platform_choose(&i, &h, ISOLATION_DEFAULT, c, 3));
    CHECK(i == 2);
    h = P("linux/arm/v6");
    CHECK_OK(platform_choose(&i, &h, ISOLATION_DEFAULT, c, 3));
    CHECK(i == 1);
    berth_platform d[2] = { P("linux/arm/v5"), P("linux/arm/v6") };
    h = P("linux/arm/v7");
    CHECK_OK(platform_choose(&i, &h, ISOLATION_DEFAULT, d, 2));
    CHECK(i == 1);                 /* the closest lower variant */
}

static void host_json(void)
{
    char *out = NULL;
    CHECK_OK(berth_platform_host(&out));
    json_object *o = json_tokener_parse(out), *v;
    CHECK(o && json_object_object_get_ex(o, "os", &v) && strcmp(json_object_get_string(v), "linux") == 0);
    CHECK(json_object_object_get_ex(o, "architecture", &v) && json_object_get_string(v)[0]);
    CHECK(json_object_object_get_ex(o, "variant", &v));
    CHECK(json_object_object_get_ex(o, "os_version", &v));
    json_object_put(o);
    berth_free(out);
    CHECK_RC(BERTH_EINVAL, berth_platform_host(NULL));
}

/* Off Windows the default isolation is process (a Server host's), so pulls and dry runs for
 * --platform windows/... choose as a Windows Server would. */
static void host_default_isolation(void)
{
    berth_isolation iso = ISOLATION_DEFAULT;
    CHECK_OK(platform_host_isolation(&iso));
    CHECK(iso == ISOLATION_PROCESS);
}

int main(void)
{
    RUN(host_default_isolation);
    RUN(parse_and_normalise);
    RUN(isolation_names);
    RUN(windows_build_rules);
    RUN(windows_messages);
    RUN(linux_rules);
    RUN(choose_closest_build_then_revision);
    RUN(choose_failure_lists_every_rule);
    RUN(choose_variants);
    RUN(host_json);
    return check_done();
}
