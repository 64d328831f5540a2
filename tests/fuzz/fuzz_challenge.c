/* registry_parse_challenge over any WWW-Authenticate value: never crashes or leaks; a success
 * names Basic or Bearer (Bearer with a realm), or nothing at all for an empty header. And a
 * second challenge appended to the header never changes a Bearer challenge already read:
 * its params belong to it alone. */
#include "fuzz.h"
#include "core/error.h"
#include "registry/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    registry_challenge ch;
    berth_error_clear();
    int rc = registry_parse_challenge(&ch, s);
    if (rc != 0) {
        fuzz_check_failure(rc, "registry_parse_challenge");
        FUZZ_CHECK(!ch.realm && !ch.service && !ch.scope && !ch.error, "a failure left values set");
    } else {
        FUZZ_CHECK(!ch.scheme[0] || !strcmp(ch.scheme, "basic") || !strcmp(ch.scheme, "bearer"),
                   "scheme \"%s\" accepted", ch.scheme);
        if (!strcmp(ch.scheme, "bearer"))
            FUZZ_CHECK(ch.realm && ch.realm[0], "bearer without a realm");
        if (!strcmp(ch.scheme, "bearer") && !strchr(s, '"')) {
            /* (a quote could leave the appended text inside an unterminated string) */
            size_t n = strlen(s);
            char *more = malloc(n + 32);
            FUZZ_CHECK(more, "out of memory");
            snprintf(more, n + 32, "%s, Basic realm=\"zzz\"", s);
            registry_challenge ch2;
            FUZZ_CHECK(registry_parse_challenge(&ch2, more) == 0, "appending a Basic challenge made it fail");
            FUZZ_CHECK(!strcmp(ch2.scheme, "bearer") && !strcmp(ch2.realm, ch.realm),
                       "appending a Basic challenge changed the Bearer realm to \"%s\"", ch2.realm ? ch2.realm : "");
            registry_challenge_clear(&ch2);
            free(more);
        }
        registry_challenge_clear(&ch);
    }
    free(s);
    return 0;
}
