/* auth.json (ours) and docker's config.json (read only). */
#include "core/error.h"
#include "core/fs.h"
#include "core/handle.h"
#include "core/json.h"
#include "registry/credentials.h"
#include "registry/registry.h"
#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *credentials_key(const char *registry)
{
    const char *s = registry;
    if (registry_strncaseeq(s, "https://", 8))
        s += 8;
    else if (registry_strncaseeq(s, "http://", 7))
        s += 7;
    size_t n = strcspn(s, "/");
    char *k = malloc(n + 1);
    if (!k) {
        berth_fail_oom();
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        k[i] = (char)tolower((unsigned char)s[i]);
    k[n] = '\0';
    if (strcmp(k, "index.docker.io") == 0 || strcmp(k, "registry-1.docker.io") == 0) {
        free(k);
        k = strdup("docker.io");
        if (!k)
            berth_fail_oom();
    }
    return k;
}

char *credentials_base64(const char *data, size_t len)
{
    char *out = malloc(4 * ((len + 2) / 3) + 1);
    if (!out) {
        berth_fail_oom();
        return NULL;
    }
    EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)data, (int)len);
    return out;
}

int credentials_decode(char **user_out, char **pass_out, const char *b64)
{
    *user_out = *pass_out = NULL;
    size_t n = strlen(b64);
    if (n == 0 || n > 16384 || n % 4 != 0)
        return berth_fail(BERTH_EINVAL, "credentials: \"auth\" is not base64 of user:password");
    unsigned char *raw = malloc(n + 1);
    if (!raw)
        return berth_fail_oom();
    int len = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n);
    int rc = 0;
    if (len < 0) {
        rc = berth_fail(BERTH_EINVAL, "credentials: \"auth\" is not base64 of user:password");
        goto out;
    }
    /* EVP_DecodeBlock counts the padding as zero bytes: drop them. */
    if (n >= 1 && b64[n - 1] == '=')
        len--;
    if (n >= 2 && b64[n - 2] == '=')
        len--;
    raw[len] = '\0';
    char *colon = memchr(raw, ':', (size_t)len);
    if (!colon) {
        rc = berth_fail(BERTH_EINVAL, "credentials: \"auth\" does not hold user:password");
        goto out;
    }
    *colon = '\0';
    *user_out = strdup((char *)raw);
    *pass_out = strdup(colon + 1);
    if (!*user_out || !*pass_out) {
        free(*user_out);
        free(*pass_out);
        *user_out = *pass_out = NULL;
        rc = berth_fail_oom();
    }
out:
    memset(raw, 0, n + 1);
    free(raw);
    return rc;
}

static char *auth_json_path(berth_t *b) { return fs_join(b->root, "auth.json"); }

/* Reads {"auths": …} from path; *out NULL when the file does not exist. */
static int read_config(json_object **out, const char *path)
{
    *out = NULL;
    if (!fs_exists(path))
        return 0;
    char *data = NULL;
    size_t len = 0;
    int rc = fs_read_file(&data, &len, path, CREDENTIALS_FILE_MAX);
    if (rc == 0)
        rc = json_parse_limited(out, data, len, path);
    free(data);
    if (rc == 0 && !json_object_is_type(*out, json_type_object)) {
        json_object_put(*out);
        *out = NULL;
        rc = berth_fail(BERTH_EINVAL, "%s: not a JSON object", path);
    }
    return rc;
}

static int lookup_in(char **user_out, char **pass_out, json_object *cfg, const char *key, const char *path)
{
    json_object *auths = json_obj(cfg, "auths");
    if (!auths)
        return BERTH_ENOTFOUND;
    json_object_object_foreach(auths, k, v) {
        char *nk = credentials_key(k);
        if (!nk)
            return BERTH_ENOMEM;
        int match = strcmp(nk, key) == 0;
        free(nk);
        if (!match)
            continue;
        const char *a = json_str(v, "auth");
        if (a && *a) {
            int rc = credentials_decode(user_out, pass_out, a);
            return rc ? berth_wrap(rc, "%s: entry \"%s\"", path, k) : 0;
        }
        const char *u = json_str(v, "username"), *p = json_str(v, "password");
        if (u && p) {
            *user_out = strdup(u);
            *pass_out = strdup(p);
            if (!*user_out || !*pass_out)
                return berth_fail_oom();
            return 0;
        }
    }
    return BERTH_ENOTFOUND;
}

int credentials_lookup(char **user_out, char **pass_out, char *source, size_t source_len, berth_t *b,
                       const char *domain)
{
    *user_out = *pass_out = NULL;
    char *key = credentials_key(domain);
    char *paths[2] = { NULL, NULL };
    int rc = BERTH_ENOTFOUND;
    if (!key)
        return BERTH_ENOMEM;
    if (b)
        paths[0] = auth_json_path(b);
    const char *dc = getenv("DOCKER_CONFIG"), *home = getenv("HOME");
    if (dc && *dc)
        paths[1] = fs_join(dc, "config.json");
    else if (home && *home)
        paths[1] = fs_join(home, ".docker/config.json");
    for (int i = 0; i < 2 && rc == BERTH_ENOTFOUND; i++) {
        if (!paths[i])
            continue;
        json_object *cfg = NULL;
        rc = read_config(&cfg, paths[i]);
        if (rc == 0)
            rc = cfg ? lookup_in(user_out, pass_out, cfg, key, paths[i]) : BERTH_ENOTFOUND;
        if (rc == 0)
            snprintf(source, source_len, "%s", paths[i]);
        json_object_put(cfg);
    }
    free(paths[0]);
    free(paths[1]);
    free(key);
    return rc;
}

static int write_auth(berth_t *b, json_object *cfg)
{
    char *path = auth_json_path(b);
    if (!path)
        return BERTH_ENOMEM;
    const char *s = json_object_to_json_string_ext(cfg, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    int rc = fs_write_atomic(path, s, strlen(s), 0600);
    free(path);
    return rc;
}

int credentials_store(berth_t *b, const char *domain, const char *user, const char *pass)
{
    char *path = auth_json_path(b), *key = credentials_key(domain), *pair = NULL, *b64 = NULL;
    json_object *cfg = NULL;
    int rc = 0;
    if (!path || !key) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    if ((rc = read_config(&cfg, path)) != 0)
        goto out;
    if (!cfg && !(cfg = json_object_new_object())) {
        rc = berth_fail_oom();
        goto out;
    }
    json_object *auths = json_obj(cfg, "auths");
    if (!auths) {
        auths = json_object_new_object();
        if (!auths || json_object_object_add(cfg, "auths", auths) != 0) {
            rc = berth_fail_oom();
            goto out;
        }
    }
    size_t n = strlen(user) + strlen(pass) + 2;
    if (!(pair = malloc(n))) {
        rc = berth_fail_oom();
        goto out;
    }
    snprintf(pair, n, "%s:%s", user, pass);
    if (!(b64 = credentials_base64(pair, n - 1))) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    json_object *entry = json_object_new_object();
    if (!entry || json_object_object_add(entry, "auth", json_object_new_string(b64)) != 0 ||
        json_object_object_add(auths, key, entry) != 0) {
        rc = berth_fail_oom();
        goto out;
    }
    rc = write_auth(b, cfg);
out:
    if (pair) {
        memset(pair, 0, strlen(pair));
        free(pair);
    }
    free(b64);
    json_object_put(cfg);
    free(path);
    free(key);
    return rc;
}

int credentials_remove(berth_t *b, const char *domain)
{
    char *path = auth_json_path(b), *key = credentials_key(domain);
    json_object *cfg = NULL;
    int rc = 0;
    if (!path || !key) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    if ((rc = read_config(&cfg, path)) != 0)
        goto out;
    json_object *auths = cfg ? json_obj(cfg, "auths") : NULL;
    if (!auths || !json_object_object_get_ex(auths, key, NULL)) {
        rc = berth_fail(BERTH_ENOTFOUND, "not logged in to %s (no entry in %s)", key, path);
        goto out;
    }
    json_object_object_del(auths, key);
    rc = write_auth(b, cfg);
out:
    json_object_put(cfg);
    free(path);
    free(key);
    return rc;
}
