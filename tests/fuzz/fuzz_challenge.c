/* registry_parse_challenge over any WWW-Authenticate value: never crashes or leaks; a success
 * names Basic or Bearer (Bearer with a realm), or nothing at all for an empty header. */
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
        registry_challenge_clear(&ch);
    }
    free(s);
    return 0;
}
