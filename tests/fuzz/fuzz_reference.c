/* reference_parse: never crashes, fails with a message, and what it accepts is normalised for
 * good — reference_string of a parsed reference parses to the same four parts. */
#include "fuzz.h"
#include "core/digest.h"
#include "core/error.h"
#include "reference/reference.h"

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    berth_ref r, again;
    berth_error_clear();
    int rc = reference_parse(&r, s);
    if (rc != 0) {
        fuzz_check_failure(rc, "reference_parse");
        FUZZ_CHECK(rc == BERTH_EINVAL, "\"%s\": %s", s, berth_strerror(rc));
        FUZZ_CHECK(!r.domain && !r.path && !r.tag && !r.digest, "\"%s\": a failed parse left parts set", s);
        free(s);
        return 0;
    }
    FUZZ_CHECK(r.domain && r.domain[0] && r.path && r.path[0], "\"%s\": no domain or path", s);
    FUZZ_CHECK(r.tag || r.digest, "\"%s\": neither tag nor digest after normalising", s);
    FUZZ_CHECK(strlen(r.domain) + 1 + strlen(r.path) <= REFERENCE_MAX, "\"%s\": name over %d", s, REFERENCE_MAX);
    FUZZ_CHECK(strcmp(r.domain, "index.docker.io") != 0, "\"%s\": legacy hub domain kept", s);
    if (strcmp(r.domain, "docker.io") == 0)
        FUZZ_CHECK(strchr(r.path, '/'), "\"%s\": an official image without library/", s);
    if (r.digest) {
        berth_digest d;
        FUZZ_CHECK(digest_parse(&d, r.digest) == 0, "\"%s\": digest %s is not one digest_parse takes", s, r.digest);
    }
    char *full = reference_string(&r), *repo = reference_repository(&r);
    FUZZ_CHECK(full && repo, "out of memory");
    rc = reference_parse(&again, full);
    FUZZ_CHECK(rc == 0, "\"%s\" → \"%s\" does not parse again", s, full);
    FUZZ_CHECK(same(r.domain, again.domain) && same(r.path, again.path) && same(r.tag, again.tag) &&
                   same(r.digest, again.digest),
               "\"%s\" → \"%s\" parses to %s/%s:%s@%s", s, full, again.domain, again.path,
               again.tag ? again.tag : "-", again.digest ? again.digest : "-");
    FUZZ_CHECK(strncmp(full, repo, strlen(repo)) == 0, "repository %s is not a prefix of %s", repo, full);
    reference_clear(&again);

    /* the public call agrees with the internal one */
    char *json = NULL;
    FUZZ_CHECK(berth_reference_parse(&json, s) == 0 && json, "berth_reference_parse refuses \"%s\"", s);
    berth_free(json);
    free(full);
    free(repo);
    reference_clear(&r);
    free(s);
    return 0;
}
