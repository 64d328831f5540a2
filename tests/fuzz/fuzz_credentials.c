/* docker's "auth" field (base64 of user:password) from auth.json or a config.json someone
 * else wrote: credentials_decode never reads or writes out of bounds, and for any user
 * without ':' and any password, decode(base64(user:password)) gives them back. */
#include "fuzz.h"
#include "core/error.h"
#include "registry/credentials.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    char *u = NULL, *p = NULL;
    berth_error_clear();
    int rc = credentials_decode(&u, &p, s);
    if (rc != 0) {
        fuzz_check_failure(rc, "credentials_decode");
        FUZZ_CHECK(!u && !p, "a failure left strings set");
    } else {
        FUZZ_CHECK(u && p && !strchr(u, ':'), "decoded user \"%s\"", u ? u : "(null)");
    }
    free(u);
    free(p);

    /* the round trip, with the input split at its first NUL-free ':' as user and password */
    const char *colon = strchr(s, ':');
    if (colon && colon != s) {
        char *b64 = credentials_base64(s, strlen(s));
        FUZZ_CHECK(b64, "out of memory");
        if (strlen(b64) <= 16384) {
            FUZZ_CHECK(credentials_decode(&u, &p, b64) == 0, "decode(base64(\"%.100s\")) failed: %s", s, berth_errmsg());
            FUZZ_CHECK(strlen(u) == (size_t)(colon - s) && !strncmp(u, s, strlen(u)) && !strcmp(p, colon + 1),
                       "decode(base64(\"%.100s\")) gave \"%s\" and \"%s\"", s, u, p);
            free(u);
            free(p);
        }
        free(b64);
    }
    free(s);
    return 0;
}
