/* Registry credentials: `berth login` keeps them in <root>/auth.json (mode 0600, the same
 * {"auths": {"host": {"auth": base64(user:pass)}}} shape docker uses), and a docker
 * config.json ($DOCKER_CONFIG/config.json, else ~/.docker/config.json) is read as a fallback,
 * so a machine already logged in with docker needs nothing more. Credential helpers
 * (credsStore, credHelpers) are not run. */
#ifndef BERTH_REGISTRY_CREDENTIALS_H
#define BERTH_REGISTRY_CREDENTIALS_H
#include "berth.h"
#include <stddef.h>

#define CREDENTIALS_FILE_MAX (1u << 20)

/* The key a registry is filed under: scheme and path dropped, lowercase, docker.io's aliases
 * (index.docker.io and registry-1.docker.io) folded to "docker.io". malloc'ed. */
char *credentials_key(const char *registry);

/* Finds credentials for domain. 0 with *user_out and *pass_out malloc'ed and source (e.g.
 * "/root/.docker/config.json") written; BERTH_ENOTFOUND when there are none. b may be NULL. */
int credentials_lookup(char **user_out, char **pass_out, char *source, size_t source_len, berth_t *b,
                       const char *domain);
int credentials_store(berth_t *b, const char *domain, const char *user, const char *pass);
/* BERTH_ENOTFOUND when no credentials were stored for domain. */
int credentials_remove(berth_t *b, const char *domain);

/* Decodes base64 "user:pass" (docker's "auth" field). */
int credentials_decode(char **user_out, char **pass_out, const char *b64);
/* base64 of data, malloc'ed. */
char *credentials_base64(const char *data, size_t len);

#endif
