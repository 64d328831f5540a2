/* Image references: the distribution grammar, checked by hand so that every error can say
 * which character is wrong and why, then normalised the way docker normalises them.
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component ( "/" path-component )*      (≤ 255 chars)
 *   domain    := host [ ":" port ]; host := dns-name | IPv4 | "[" IPv6 "]"
 *   path-component := [a-z0-9]+ ( separator [a-z0-9]+ )*; separator := "." | "_" | "__" | "-"+
 *   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest    := "sha256:" 64 lowercase hex (the only algorithm the store speaks)
 *
 * The first "/"-separated part is a domain when it contains "." or ":", is "localhost", or has
 * an uppercase letter (docker's rule); otherwise the name lives on docker.io. */
#include "reference/reference.h"
#include "core/error.h"
#include "core/json.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_DOMAIN "docker.io"
#define LEGACY_DOMAIN "index.docker.io"
#define INPUT_MAX 1024   /* far above any valid reference; refuse before scanning more */
#define TAG_MAX 128

/* Fails with: reference "<s>": character <pos+1> ('c'): <why>. */
static int bad_at(const char *s, size_t pos, const char *fmt, ...) BERTH_PRINTF(3, 4);
static int bad_at(const char *s, size_t pos, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    unsigned char c = (unsigned char)s[pos];
    if (c > 0x20 && c < 0x7f)
        return berth_fail(BERTH_EINVAL, "invalid reference \"%.300s\": character %zu ('%c') %s", s, pos + 1, c, why);
    return berth_fail(BERTH_EINVAL, "invalid reference \"%.300s\": character %zu %s", s, pos + 1, why);
}

static int is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static int is_alnum(char c) { return isalnum((unsigned char)c) != 0; }
static int is_word(char c) { return is_alnum(c) || c == '_'; }
static int is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* host[:port] in s[b, e). */
static int check_domain(const char *s, size_t b, size_t e)
{
    size_t i = b;
    if (s[i] == '[') {
        size_t j = i + 1;
        while (j < e && s[j] != ']') {
            if (!is_hex(s[j]) && s[j] != ':')
                return bad_at(s, j, "is not allowed in an IPv6 address: write it as [hex:hex::hex] (zones such as %%eth0 are not supported)");
            j++;
        }
        if (j >= e)
            return bad_at(s, i, "opens an IPv6 address that is never closed with ']'");
        if (j == i + 1)
            return bad_at(s, j, "closes an empty IPv6 address");
        i = j + 1;
    } else {
        /* dns-name or IPv4: components of letters, digits and inner hyphens, joined by dots */
        size_t start = i;
        while (i < e && s[i] != ':') {
            if (s[i] == '.') {
                if (i == start)
                    return bad_at(s, i, "leaves an empty part in the registry host name");
                if (s[i - 1] == '-')
                    return bad_at(s, i - 1, "ends a host name part; hyphens may only sit inside one");
                start = i + 1;
            } else if (s[i] == '-') {
                if (i == start)
                    return bad_at(s, i, "starts a host name part; hyphens may only sit inside one");
            } else if (!is_alnum(s[i])) {
                return bad_at(s, i, "is not allowed in a registry host name (letters, digits, '-' and '.' only)");
            }
            i++;
        }
        if (i == start)
            return i > b ? bad_at(s, i - 1, "leaves an empty part at the end of the registry host name")
                         : bad_at(s, i, "starts the reference where a registry host name was expected");
        if (s[i - 1] == '-')
            return bad_at(s, i - 1, "ends a host name part; hyphens may only sit inside one");
    }
    if (i == e)
        return 0;
    if (s[i] != ':')
        return bad_at(s, i, "follows the IPv6 address; only \":port\" may follow it");
    size_t p = ++i;
    unsigned long port = 0;
    for (; i < e; i++) {
        if (s[i] < '0' || s[i] > '9')
            return bad_at(s, i, "is not a digit: the registry port must be a number");
        port = port * 10 + (unsigned long)(s[i] - '0');
        if (port > 65535)
            return bad_at(s, i, "makes the registry port larger than 65535");
    }
    if (i == p)
        return bad_at(s, p - 1, "is followed by no port number");
    return 0;
}

/* path-component ("/" path-component)* in s[b, e). */
static int check_path(const char *s, size_t b, size_t e)
{
    for (size_t i = b; i < e; i++) {
        if (isupper((unsigned char)s[i])) {
            char lower[REFERENCE_MAX + 1];
            size_t n = e - b < REFERENCE_MAX ? e - b : REFERENCE_MAX;
            for (size_t k = 0; k < n; k++)
                lower[k] = (char)tolower((unsigned char)s[b + k]);
            lower[n] = '\0';
            return bad_at(s, i, "is uppercase: repository names must be lowercase — did you mean \"%s\"?", lower);
        }
    }
    size_t i = b;
    for (;;) {
        size_t start = i;
        while (i < e && s[i] != '/') {
            char c = s[i];
            if (is_lower_alnum(c)) {
                i++;
                continue;
            }
            if (c != '.' && c != '_' && c != '-')
                return bad_at(s, i, "is not allowed in a repository name (a-z, 0-9 and the separators . _ __ - only)");
            if (i == start)
                return bad_at(s, i, "starts a repository name component; separators must sit between letters or digits");
            size_t j = i;
            while (j < e && (s[j] == '.' || s[j] == '_' || s[j] == '-'))
                j++;
            size_t run = j - i;
            int ok = (run == 1) || (run == 2 && s[i] == '_' && s[i + 1] == '_');
            for (size_t k = i; !ok && k < j && s[k] == '-'; k++)
                ok = (k + 1 == j);   /* a run made only of hyphens */
            if (!ok)
                return bad_at(s, i, "begins the separator \"%.*s\"; allowed are one '.', one or two '_', or hyphens",
                              (int)run, s + i);
            if (j == e || s[j] == '/')
                return bad_at(s, i, "ends a repository name component; separators must sit between letters or digits");
            i = j;
        }
        if (i == start)
            return i < e || i > b ? bad_at(s, i > b ? i - 1 : i, "leaves an empty repository name component (two '/' in a row, or a '/' at an end)")
                                  : berth_fail(BERTH_EINVAL, "invalid reference \"%.300s\": the repository name is empty", s);
        if (i == e)
            return 0;
        i++; /* past '/' */
        if (i == e)
            return bad_at(s, i - 1, "ends the reference: a repository name cannot end with '/'");
    }
}

static int check_tag(const char *s, size_t b, size_t e)
{
    if (b == e)
        return bad_at(s, b - 1, "is followed by no tag: remove the ':' or name a tag such as :latest");
    if (e - b > TAG_MAX)
        return bad_at(s, b + TAG_MAX, "makes the tag longer than %d characters", TAG_MAX);
    if (!is_word(s[b]))
        return bad_at(s, b, "cannot start a tag (a tag starts with a letter, digit or '_')");
    for (size_t i = b + 1; i < e; i++)
        if (!is_word(s[i]) && s[i] != '.' && s[i] != '-')
            return bad_at(s, i, "is not allowed in a tag (letters, digits, '_', '.' and '-' only)");
    return 0;
}

static int check_digest(const char *s, size_t b, size_t e)
{
    const char *colon = memchr(s + b, ':', e - b);
    if (b == e || !colon)
        return bad_at(s, b - 1, "must be followed by a digest such as sha256:<64 hex digits>");
    size_t c = (size_t)(colon - s);
    if (c - b != 6 || strncmp(s + b, "sha256", 6) != 0)
        return bad_at(s, b, "starts the digest algorithm \"%.*s\", which is not supported: use a sha256 digest",
                      (int)(c - b), s + b);
    for (size_t i = c + 1; i < e; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return bad_at(s, i, "is not a lowercase hex digit in the digest");
    if (e - c - 1 != 64)
        return berth_fail(BERTH_EINVAL, "invalid reference \"%.300s\": the sha256 digest has %zu hex digits; it needs 64",
                          s, e - c - 1);
    return 0;
}

static char *dup_range(const char *s, size_t b, size_t e)
{
    char *p = malloc(e - b + 1);
    if (p) {
        memcpy(p, s + b, e - b);
        p[e - b] = '\0';
    }
    return p;
}

/* Whether the first component s[0, e) names a registry rather than a Docker Hub namespace. */
static int looks_like_domain(const char *s, size_t e)
{
    if (e == 9 && strncmp(s, "localhost", 9) == 0)
        return 1;
    for (size_t i = 0; i < e; i++)
        if (s[i] == '.' || s[i] == ':' || isupper((unsigned char)s[i]))
            return 1;
    return 0;
}

int reference_parse(berth_ref *out, const char *s)
{
    memset(out, 0, sizeof *out);
    if (!s || !*s)
        return berth_fail(BERTH_EINVAL, "invalid reference: it is empty; name an image such as busybox or "
                          "registry.example.com/app:1.0");
    size_t n = strlen(s);
    if (n > INPUT_MAX)
        return berth_fail(BERTH_EINVAL, "invalid reference \"%.60s…\": %zu characters long; a name is at most %d",
                          s, n, REFERENCE_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f)
            return bad_at(s, i, "is a space, control or non-ASCII character, which a reference cannot contain");
    }
    if (n == 64 && strspn(s, "0123456789abcdef") == 64)
        return berth_fail(BERTH_EINVAL, "invalid reference \"%s\": a 64-digit hex string is an image id, not a "
                          "repository name; refer to the image as sha256:%s", s, s);

    const char *at = strchr(s, '@');
    size_t name_end = at ? (size_t)(at - s) : n;
    size_t last_slash = 0;
    int has_slash = 0;
    for (size_t i = 0; i < name_end; i++)
        if (s[i] == '/')
            last_slash = i, has_slash = 1;
    size_t tag_colon = 0;
    int has_tag = 0;
    for (size_t i = has_slash ? last_slash + 1 : 0; i < name_end; i++)
        if (s[i] == ':')
            tag_colon = i, has_tag = 1;
    size_t repo_end = has_tag ? tag_colon : name_end;
    if (repo_end == 0)
        return bad_at(s, 0, "starts the reference; it must start with a repository name");

    size_t first_slash = 0;
    while (has_slash && s[first_slash] != '/')
        first_slash++;
    int explicit_domain = has_slash && first_slash < repo_end && looks_like_domain(s, first_slash);
    int rc;
    if (explicit_domain && (rc = check_domain(s, 0, first_slash)) != 0)
        return rc;
    size_t path_b = explicit_domain ? first_slash + 1 : 0;
    if ((rc = check_path(s, path_b, repo_end)) != 0)
        return rc;
    if (has_tag && (rc = check_tag(s, tag_colon + 1, name_end)) != 0)
        return rc;
    if (at && (rc = check_digest(s, name_end + 1, n)) != 0)
        return rc;

    int hub = !explicit_domain || (first_slash == strlen(LEGACY_DOMAIN) && strncmp(s, LEGACY_DOMAIN, first_slash) == 0) ||
              (first_slash == strlen(DEFAULT_DOMAIN) && strncmp(s, DEFAULT_DOMAIN, first_slash) == 0);
    int official = hub && !memchr(s + path_b, '/', repo_end - path_b);
    out->domain = hub ? strdup(DEFAULT_DOMAIN) : dup_range(s, 0, first_slash);
    size_t plen = repo_end - path_b;
    out->path = malloc(plen + sizeof "library/");
    if (out->path)
        snprintf(out->path, plen + sizeof "library/", "%s%.*s", official ? "library/" : "", (int)plen, s + path_b);
    if (has_tag)
        out->tag = dup_range(s, tag_colon + 1, name_end);
    else if (!at)
        out->tag = strdup("latest");
    if (at)
        out->digest = dup_range(s, name_end + 1, n);
    if (!out->domain || !out->path || (has_tag && !out->tag) || (!has_tag && !at && !out->tag) || (at && !out->digest)) {
        reference_clear(out);
        return berth_fail_oom();
    }
    size_t name_len = strlen(out->domain) + 1 + strlen(out->path);
    if (name_len > REFERENCE_MAX) {
        reference_clear(out);
        return berth_fail(BERTH_EINVAL, "invalid reference \"%.300s\": the repository name is %zu characters "
                          "(with its registry); the limit is %d", s, name_len, REFERENCE_MAX);
    }
    return 0;
}

void reference_clear(berth_ref *r)
{
    if (!r)
        return;
    free(r->domain);
    free(r->path);
    free(r->tag);
    free(r->digest);
    memset(r, 0, sizeof *r);
}

char *reference_string(const berth_ref *r)
{
    size_t n = strlen(r->domain) + strlen(r->path) + (r->tag ? strlen(r->tag) : 0) +
               (r->digest ? strlen(r->digest) : 0) + 4;
    char *p = malloc(n);
    if (!p) {
        berth_fail_oom();
        return NULL;
    }
    snprintf(p, n, "%s/%s%s%s%s%s", r->domain, r->path, r->tag ? ":" : "", r->tag ? r->tag : "",
             r->digest ? "@" : "", r->digest ? r->digest : "");
    return p;
}

char *reference_repository(const berth_ref *r)
{
    size_t n = strlen(r->domain) + strlen(r->path) + 2;
    char *p = malloc(n);
    if (!p) {
        berth_fail_oom();
        return NULL;
    }
    snprintf(p, n, "%s/%s", r->domain, r->path);
    return p;
}

const char *reference_api_host(const berth_ref *r)
{
    return strcmp(r->domain, DEFAULT_DOMAIN) == 0 ? "registry-1.docker.io" : r->domain;
}

int berth_reference_parse(char **out_json, const char *ref)
{
    berth_error_clear();
    if (!out_json)
        return berth_fail(BERTH_EINVAL, "berth_reference_parse: out_json is NULL");
    *out_json = NULL;
    berth_ref r;
    int rc = reference_parse(&r, ref);
    if (rc)
        return rc;
    char *repo = reference_repository(&r), *full = reference_string(&r);
    json_object *o = json_object_new_object();
    if (!repo || !full || !o) {
        rc = berth_fail_oom();
        json_object_put(o);
        goto out;
    }
    json_object_object_add(o, "domain", json_object_new_string(r.domain));
    json_object_object_add(o, "path", json_object_new_string(r.path));
    json_object_object_add(o, "tag", r.tag ? json_object_new_string(r.tag) : NULL);
    json_object_object_add(o, "digest", r.digest ? json_object_new_string(r.digest) : NULL);
    json_object_object_add(o, "repository", json_object_new_string(repo));
    json_object_object_add(o, "reference", json_object_new_string(full));
    rc = json_hand_out(out_json, o);
out:
    free(repo);
    free(full);
    reference_clear(&r);
    return rc;
}
