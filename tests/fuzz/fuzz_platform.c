/* platform_parse: never crashes; what it accepts is normalised once and for all (format →
 * parse gives the same platform, normalising again changes nothing). Each further line of the
 * input is a candidate: platform_choose over them picks one the rules accept, or fails with a
 * message. */
#include "fuzz.h"
#include "core/error.h"
#include "platform/platform.h"

#define MAX_CANDS 8

static int same(const berth_platform *a, const berth_platform *b)
{
    return !strcmp(a->os, b->os) && !strcmp(a->arch, b->arch) && !strcmp(a->variant, b->variant) &&
           !strcmp(a->os_version, b->os_version);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    berth_platform want, cands[MAX_CANDS];
    size_t n = 0;
    int have_want = 0;
    char *save = NULL;
    for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        berth_platform p, again, norm;
        berth_error_clear();
        int rc = platform_parse(&p, line);
        if (rc != 0) {
            fuzz_check_failure(rc, "platform_parse");
            continue;
        }
        FUZZ_CHECK(p.os[0] && p.arch[0], "\"%s\": empty os or architecture", line);
        char text[160];
        platform_format(&p, text, sizeof text);
        FUZZ_CHECK(platform_parse(&again, text) == 0, "\"%s\" → \"%s\" does not parse again", line, text);
        FUZZ_CHECK(same(&p, &again), "\"%s\" → \"%s\" parses to something else", line, text);
        norm = p;
        platform_normalize(&norm);
        FUZZ_CHECK(same(&p, &norm), "\"%s\": normalising twice changes it", line);
        if (!have_want) {
            want = p;
            have_want = 1;
        } else if (n < MAX_CANDS) {
            cands[n++] = p;
        }
    }
    if (have_want && n > 0) {
        for (int iso = ISOLATION_DEFAULT; iso <= ISOLATION_HYPERV; iso++) {
            size_t idx = (size_t)-1;
            berth_error_clear();
            int rc = platform_choose(&idx, &want, (berth_isolation)iso, cands, n);
            if (rc != 0) {
                fuzz_check_failure(rc, "platform_choose");
                continue;
            }
            char why[256];
            FUZZ_CHECK(idx < n, "platform_choose picked %zu of %zu", idx, n);
            FUZZ_CHECK(platform_accepts(&want, (berth_isolation)iso, &cands[idx], why, sizeof why) == 1,
                       "platform_choose picked a candidate platform_accepts refuses: %s", why);
        }
    }
    free(s);
    return 0;
}
