/* digest_parse: accepts exactly "sha256:" + 64 lowercase hex, and whatever digest_of_buffer
 * computes. */
#include "fuzz.h"
#include "core/digest.h"
#include "core/error.h"

static int well_formed(const char *s)
{
    if (strncmp(s, "sha256:", 7) != 0 || strlen(s) != 71)
        return 0;
    for (const char *p = s + 7; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    berth_digest d, e;
    berth_error_clear();
    int rc = digest_parse(&d, s);
    FUZZ_CHECK((rc == 0) == well_formed(s), "digest_parse(\"%.100s\") = %d", s, rc);
    if (rc == 0) {
        FUZZ_CHECK(strcmp(d.text, s) == 0, "parsed text differs");
        FUZZ_CHECK(strlen(digest_hex(&d)) == 64, "hex part is not 64 characters");
    } else {
        fuzz_check_failure(rc, "digest_parse");
    }
    FUZZ_CHECK(digest_of_buffer(&e, data, size) == 0, "digest_of_buffer failed");
    FUZZ_CHECK(digest_parse(&d, e.text) == 0 && digest_equal(&d, &e), "a computed digest does not parse");
    free(s);
    return 0;
}
