/* Image references as the Docker/OCI distribution grammar defines them:
 *   [domain[:port]/]path[:tag][@sha256:hex]
 * normalised the way docker does: no domain → docker.io; a one-part path on docker.io →
 * library/<name>; neither tag nor digest → :latest. */
#ifndef BERTH_REFERENCE_H
#define BERTH_REFERENCE_H
#include <stddef.h>

#define REFERENCE_MAX 255   /* whole reference, as the distribution spec limits names */

typedef struct {
    char *domain;  /* "docker.io", "127.0.0.1:5000", "[::1]:5000", "mcr.microsoft.com" */
    char *path;    /* "library/busybox", "windows/nanoserver" */
    char *tag;     /* "latest" by default; NULL when only a digest was given */
    char *digest;  /* "sha256:…" or NULL */
} berth_ref;

/* Parses s; on failure BERTH_EINVAL with a message that says what is wrong and at which
 * character. The result is freed with reference_clear. */
int reference_parse(berth_ref *out, const char *s);
void reference_clear(berth_ref *r);
/* "domain/path:tag@digest" (parts that are set), malloc'ed. */
char *reference_string(const berth_ref *r);
/* "domain/path" (the repository name), malloc'ed. */
char *reference_repository(const berth_ref *r);
/* Host to talk HTTP to: docker.io → registry-1.docker.io; others as written. */
const char *reference_api_host(const berth_ref *r);
/* Whether a registry is spoken to over plain HTTP: loopback hosts (localhost, 127.0.0.0/8,
 * [::1]) like docker's default insecure set, plus $BERTH_INSECURE_REGISTRIES (comma list). */
int reference_is_insecure(const char *domain);

#endif
