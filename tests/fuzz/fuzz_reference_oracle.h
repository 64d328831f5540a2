/* An independent oracle for fuzz_reference.c: docker's ParseNormalizedNamed, restated from
 * distribution/reference's grammar (regexp.go, normalize.go) with POSIX extended regexes —
 * a second reading of the same rules, so the fuzzer can find inputs on which our hand-written
 * parser and docker's grammar disagree (wrong answers, not only crashes). */
#ifndef BERTH_FUZZ_REFERENCE_ORACLE_H
#define BERTH_FUZZ_REFERENCE_ORACLE_H
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define O_ALNUM "[a-z0-9]+"
#define O_SEP "([._]|__|[-]+)"
#define O_PATHC O_ALNUM "(" O_SEP O_ALNUM ")*"
#define O_DOMC "([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
#define O_HOST "(" O_DOMC "(\\." O_DOMC ")*|\\[[a-fA-F0-9:]+\\])"
#define O_NAME "(" O_HOST "(:[0-9]+)?/)?" O_PATHC "(/" O_PATHC ")*"
#define O_TAG "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
#define O_DIGEST "[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
#define O_REF "^" O_NAME "(:" O_TAG ")?(@" O_DIGEST ")?$"

typedef struct {
    int ok;
    int host_ok;   /* the domain docker split off is a host[:port]; when not, docker's Parse
                      still matches the whole as a path and leaves the name without a domain */
    char domain[1200], path[1200], tag[200], digest[1200];
    int has_tag, has_digest;
} oracle_ref;

static regex_t oracle_re, oracle_host_re;
static int oracle_ready;

/* Fills o from s as ParseNormalizedNamed would; o->ok = 0 when docker refuses s. */
static void oracle_parse(oracle_ref *o, const char *s)
{
    memset(o, 0, sizeof *o);
    if (!oracle_ready) {
        if (regcomp(&oracle_re, O_REF, REG_EXTENDED | REG_NOSUB) != 0 ||
            regcomp(&oracle_host_re, "^" O_HOST "(:[0-9]+)?$", REG_EXTENDED | REG_NOSUB) != 0)
            abort();
        oracle_ready = 1;
    }
    size_t n = strlen(s);
    if (n == 0 || n > 1000)
        return;
    if (n == 64 && strspn(s, "0123456789abcdef") == 64)
        return; /* a 64-hex string is an image id */
    /* splitDockerDomain */
    const char *slash = strchr(s, '/');
    char domain[1200], remainder[1200];
    size_t first = slash ? (size_t)(slash - s) : 0;
    int is_domain = 0;
    if (slash) {
        int has_dot_colon = memchr(s, '.', first) || memchr(s, ':', first);
        int upper = 0;
        for (size_t i = 0; i < first; i++)
            upper |= isupper((unsigned char)s[i]) != 0;
        is_domain = has_dot_colon || (first == 9 && !strncmp(s, "localhost", 9)) || upper;
    }
    if (is_domain) {
        snprintf(domain, sizeof domain, "%.*s", (int)first, s);
        snprintf(remainder, sizeof remainder, "%s", s + first + 1);
    } else {
        snprintf(domain, sizeof domain, "docker.io");
        snprintf(remainder, sizeof remainder, "%s", s);
    }
    if (!strcmp(domain, "index.docker.io"))
        snprintf(domain, sizeof domain, "docker.io");
    if (!strcmp(domain, "docker.io") && !strchr(remainder, '/')) {
        char tmp[1200];
        snprintf(tmp, sizeof tmp, "library/%s", remainder);
        snprintf(remainder, sizeof remainder, "%s", tmp);
    }
    /* the remote name (before the first ':') must be lowercase */
    size_t rn = strcspn(remainder, ":");
    for (size_t i = 0; i < rn; i++)
        if (isupper((unsigned char)remainder[i]))
            return;
    char full[2500];
    snprintf(full, sizeof full, "%s/%s", domain, remainder);
    if (regexec(&oracle_re, full, 0, NULL, 0) != 0)
        return;
    /* the parts: digest after '@', tag after the last ':' behind the last '/' */
    char *at = strchr(full, '@');
    if (at) {
        *at = '\0';
        o->has_digest = 1;
        snprintf(o->digest, sizeof o->digest, "%s", at + 1);
    }
    char *ls = strrchr(full, '/'), *colon = strrchr(full, ':');
    if (colon && (!ls || colon > ls)) {
        *colon = '\0';
        o->has_tag = 1;
        snprintf(o->tag, sizeof o->tag, "%s", colon + 1);
    }
    if (strlen(full) > 255)
        return; /* NameTotalLengthMax */
    size_t dl = strlen(domain);
    o->host_ok = regexec(&oracle_host_re, domain, 0, NULL, 0) == 0;
    snprintf(o->domain, sizeof o->domain, "%s", domain);
    snprintf(o->path, sizeof o->path, "%s", full + dl + 1);
    o->ok = 1;
}

#endif
