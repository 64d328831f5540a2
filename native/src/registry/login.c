/* berth_login / berth_logout: credentials are proven against the registry before they are
 * written to <root>/auth.json (0600), so a typo is reported now, not at the next pull. */
#include "core/error.h"
#include "registry/client.h"
#include "registry/credentials.h"
#include <stdlib.h>
#include <string.h>

int berth_login(berth_t *b, const char *registry, const char *username, const char *password)
{
    berth_error_clear();
    if (!b || !registry || !*registry || !username || !*username || !password)
        return berth_fail(BERTH_EINVAL, "login: a store, a registry, a user name and a password are required");
    if (strchr(username, ':'))
        return berth_fail(BERTH_EINVAL, "login %s: a user name cannot contain ':'", registry);
    char *key = credentials_key(registry);
    registry_client *c = NULL;
    int rc = key ? 0 : BERTH_ENOMEM;
    if (rc == 0 && !*key)
        rc = berth_fail(BERTH_EINVAL, "login: \"%s\" names no registry host", registry);
    if (rc == 0)
        rc = registry_client_new(&c, b, key);
    if (rc == 0)
        rc = registry_client_set_credentials(c, username, password);
    if (rc == 0)
        rc = registry_check_login(c);
    if (rc == 0)
        rc = credentials_store(b, key, username, password);
    if (rc)
        rc = berth_wrap(rc, "login %s", key ? key : registry);
    registry_client_free(c);
    free(key);
    return rc;
}

int berth_logout(berth_t *b, const char *registry)
{
    berth_error_clear();
    if (!b || !registry || !*registry)
        return berth_fail(BERTH_EINVAL, "logout: a store and a registry are required");
    int rc = credentials_remove(b, registry);
    return rc ? berth_wrap(rc, "logout") : 0;
}
