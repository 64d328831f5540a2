/* reference_parse: never crashes, fails with a message, and what it accepts is normalised for
 * good — reference_string of a parsed reference parses to the same four parts. And it agrees
 * with docker's ParseNormalizedNamed (fuzz_reference_oracle.h) except where we are stricter on
 * purpose: digests are sha256 with 64 lowercase hex digits only, ports at most 65535. */
#include "fuzz.h"
#include "core/digest.h"
#include "core/error.h"
#include "reference/reference.h"
#include "fuzz_reference_oracle.h"

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Our deliberate differences from docker's grammar. */
static int within_our_policy(const oracle_ref *o)
{
    if (!o->host_ok)
        return 0;   /* docker would keep it without a domain; we refuse a host that is not one */
    if (o->has_digest) {
        if (strncmp(o->digest, "sha256:", 7) != 0 || strlen(o->digest) != 71 ||
            strspn(o->digest + 7, "0123456789abcdef") != 64)
            return 0;
    }
    const char *colon = strchr(o->domain, ']') ? strchr(strchr(o->domain, ']'), ':') : strchr(o->domain, ':');
    if (colon && strcmp(o->domain, "docker.io") != 0) {
        const char *p = colon + 1;
        while (*p == '0')
            p++;
        if (strlen(p) > 5 || atol(p) > 65535)
            return 0;
    }
    return 1;
}

static void compare_with_docker(const char *s, int rc, const berth_ref *r)
{
    oracle_ref o;
    oracle_parse(&o, s);
    if (rc == 0) {
        FUZZ_CHECK(o.ok && o.host_ok, "\"%s\": we accept it, docker's grammar refuses it", s);
        FUZZ_CHECK(!strcmp(r->domain, o.domain) && !strcmp(r->path, o.path),
                   "\"%s\": we read %s / %s, docker %s / %s", s, r->domain, r->path, o.domain, o.path);
        FUZZ_CHECK(o.has_tag ? (r->tag && !strcmp(r->tag, o.tag)) : (!r->tag || (!o.has_digest && !strcmp(r->tag, "latest"))),
                   "\"%s\": tag %s, docker %s", s, r->tag ? r->tag : "-", o.has_tag ? o.tag : "-");
        FUZZ_CHECK(o.has_digest ? (r->digest && !strcmp(r->digest, o.digest)) : !r->digest,
                   "\"%s\": digest %s, docker %s", s, r->digest ? r->digest : "-", o.has_digest ? o.digest : "-");
    } else if (o.ok && within_our_policy(&o)) {
        FUZZ_CHECK(0, "\"%s\": docker's grammar takes it (%s / %s), we refuse: %s", s, o.domain, o.path, berth_errmsg());
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    berth_ref r, again;
    berth_error_clear();
    int rc = reference_parse(&r, s);
    compare_with_docker(s, rc, &r);
    berth_error_clear();
    if (rc == 0)
        rc = 0;
    else
        rc = reference_parse(&r, s);   /* the message again, after the oracle's checks */
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
