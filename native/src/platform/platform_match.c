/* Which image of a multi-platform index a host can run, and which it should pick.
 *
 * Linux (and every non-Windows os): os and architecture must match; a variant must match when
 * both sides name one, except that a 32-bit ARM host of variant vN also runs vM ≤ N.
 * Windows, comparing os.version as numbers (major.minor.build; the revision never decides):
 *  - no isolation runs an image newer than the host;
 *  - process isolation needs the host's build, except that from build 20348 on a host also runs
 *    images from 20348 up to its own build;
 *  - Hyper-V isolation runs any build up to the host's.
 * ISOLATION_DEFAULT is matched as process isolation, the stricter rule and Windows Server's
 * default; a caller on client Windows (whose default is Hyper-V) passes ISOLATION_HYPERV.
 * Among accepted candidates: the closest build, then the highest revision, then an exact
 * variant, then index order. */
#include "platform/platform.h"
#include "core/buf.h"
#include "core/error.h"
#include <stdio.h>
#include <string.h>

#define COMPAT_FLOOR 20348u   /* Windows Server 2022: first build with forward compatibility */

typedef struct {
    unsigned long v[4];   /* major, minor, build, revision */
    int n;                /* how many were given; 0 when none or unreadable */
} win_version;

static int version_parse(win_version *out, const char *s)
{
    memset(out, 0, sizeof *out);
    if (!s || !*s)
        return 0;
    const char *p = s;
    while (*p && out->n < 4) {
        if (*p < '0' || *p > '9')
            return -1;
        unsigned long x = 0;
        while (*p >= '0' && *p <= '9') {
            x = x * 10 + (unsigned long)(*p++ - '0');
            if (x > 0xFFFFFFFFul)
                return -1;
        }
        out->v[out->n++] = x;
        if (*p == '.')
            p++;
        else if (*p)
            return -1;
    }
    return *p ? -1 : 0;
}

/* Compares major.minor.build only. */
static int build_cmp(const win_version *a, const win_version *b)
{
    for (int i = 0; i < 3; i++)
        if (a->v[i] != b->v[i])
            return a->v[i] < b->v[i] ? -1 : 1;
    return 0;
}

static int variant_number(const char *v)
{
    return v[0] == 'v' && v[1] >= '0' && v[1] <= '9' ? v[1] - '0' : -1;
}

static int windows_accepts(const berth_platform *want, berth_isolation iso, const berth_platform *cand,
                           char *why, size_t why_len)
{
    win_version h, c;
    if (!want->os_version[0])
        return 1;   /* no host build given (e.g. --platform windows/amd64): any build will do */
    if (version_parse(&h, want->os_version) != 0 || h.n < 3) {
        snprintf(why, why_len, "the host os.version \"%s\" is not major.minor.build", want->os_version);
        return 0;
    }
    if (!cand->os_version[0])
        return 1;   /* the index does not say: let the runtime decide */
    if (version_parse(&c, cand->os_version) != 0 || c.n < 3) {
        snprintf(why, why_len, "its os.version \"%s\" is not a Windows version (major.minor.build[.revision])",
                 cand->os_version);
        return 0;
    }
    int cmp = build_cmp(&c, &h);
    if (cmp > 0) {
        snprintf(why, why_len, "build %lu is newer than this host's build %lu; no isolation runs a newer image "
                 "— use an image for build %lu or older", c.v[2], h.v[2], h.v[2]);
        return 0;
    }
    if (iso == ISOLATION_HYPERV || cmp == 0)
        return 1;
    /* process isolation (the default on Windows Server), older image */
    if (h.v[2] <= COMPAT_FLOOR) {
        snprintf(why, why_len, "process isolation needs build %lu (this host's); the image is build %lu "
                 "— use --isolation hyperv or an image for %lu", h.v[2], c.v[2], h.v[2]);
        return 0;
    }
    if (c.v[2] < COMPAT_FLOOR || h.v[0] != c.v[0] || h.v[1] != c.v[1]) {
        snprintf(why, why_len, "process isolation runs builds %u to %lu on this host; the image is build %lu "
                 "— use --isolation hyperv or an image for %u or newer", COMPAT_FLOOR, h.v[2], c.v[2], COMPAT_FLOOR);
        return 0;
    }
    return 1;
}

int platform_accepts(const berth_platform *want, berth_isolation iso, const berth_platform *cand,
                     char *why, size_t why_len)
{
    char unused[8];
    if (!why || !why_len)
        why = unused, why_len = sizeof unused;
    why[0] = '\0';
    if (strcmp(want->os, cand->os) != 0) {
        snprintf(why, why_len, "os %s, not %s", cand->os[0] ? cand->os : "(none)", want->os);
        return 0;
    }
    if (strcmp(want->arch, cand->arch) != 0) {
        snprintf(why, why_len, "architecture %s, not %s", cand->arch[0] ? cand->arch : "(none)", want->arch);
        return 0;
    }
    if (want->variant[0] && cand->variant[0] && strcmp(want->variant, cand->variant) != 0) {
        int w = variant_number(want->variant), c = variant_number(cand->variant);
        if (!(strcmp(want->arch, "arm") == 0 && w >= 0 && c >= 0 && c <= w)) {
            snprintf(why, why_len, "variant %s, not %s", cand->variant, want->variant);
            return 0;
        }
    }
    if (strcmp(want->os, "windows") == 0)
        return windows_accepts(want, iso, cand, why, why_len);
    return 1;
}

/* Whether a ranks before b (both accepted). */
static int better(const berth_platform *want, const berth_platform *a, const berth_platform *b)
{
    win_version va, vb;
    int pa = version_parse(&va, a->os_version) == 0, pb = version_parse(&vb, b->os_version) == 0;
    if (!pa)
        memset(&va, 0, sizeof va);
    if (!pb)
        memset(&vb, 0, sizeof vb);
    /* accepted builds are all ≤ the host's, so the closest is the highest */
    int cmp = build_cmp(&va, &vb);
    if (cmp != 0)
        return cmp > 0;
    if (va.v[3] != vb.v[3])
        return va.v[3] > vb.v[3];
    int ea = strcmp(a->variant, want->variant) == 0, eb = strcmp(b->variant, want->variant) == 0;
    if (ea != eb)
        return ea;
    /* a lower ARM variant than the host's: the closest (highest) one */
    return variant_number(a->variant) > variant_number(b->variant);
}

int platform_choose(size_t *index_out, const berth_platform *want, berth_isolation iso,
                    const berth_platform *cands, size_t n)
{
    size_t best = n;
    for (size_t i = 0; i < n; i++)
        if (platform_accepts(want, iso, &cands[i], NULL, 0) && (best == n || better(want, &cands[i], &cands[best])))
            best = i;
    if (best < n) {
        *index_out = best;
        return 0;
    }
    char w[128];
    platform_format(want, w, sizeof w);
    berth_buf msg = BERTH_BUF_INIT(1800);
    int is_windows = strcmp(want->os, "windows") == 0;
    buf_printf(&msg, "no image for %s%s%s%s", w, is_windows ? " (" : "", is_windows ? platform_isolation_name(iso) : "",
               is_windows ? " isolation)" : "");
    buf_printf(&msg, n ? "; the index offers:" : ": the index lists no images");
    for (size_t i = 0; i < n; i++) {
        char c[128], why[400];
        platform_format(&cands[i], c, sizeof c);
        platform_accepts(want, iso, &cands[i], why, sizeof why);
        if (buf_printf(&msg, "\n  %s: %s", c, why) != 0)
            break;   /* the ceiling was reached: what fits is still readable */
    }
    int rc = berth_fail(BERTH_EPLATFORM, "%s", msg.data ? msg.data : "no image for this platform");
    buf_free(&msg);
    return rc;
}
