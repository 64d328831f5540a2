/* json_parse_limited over bytes that are not NUL-terminated (an exact-size copy, so ASan sees
 * any read past the end): what it accepts nests no deeper than BERTH_JSON_MAX_DEPTH and
 * survives a serialise → parse round trip unchanged. */
#include "fuzz.h"
#include "core/error.h"
#include "core/json.h"

static int depth(json_object *o)
{
    int d = 0;
    if (json_object_is_type(o, json_type_object)) {
        json_object_object_foreach(o, k, v) {
            (void)k;
            int c = depth(v);
            d = c > d ? c : d;
        }
        return d + 1;
    }
    if (json_object_is_type(o, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(o); i++) {
            int c = depth(json_object_array_get_idx(o, i));
            d = c > d ? c : d;
        }
        return d + 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    json_object *o = NULL;
    berth_error_clear();
    int rc = json_parse_limited(&o, copy, size, "fuzz document");
    if (rc != 0) {
        fuzz_check_failure(rc, "json_parse_limited");
        FUZZ_CHECK(rc == BERTH_EINVAL, "json_parse_limited: %s", berth_strerror(rc));
    } else {
        FUZZ_CHECK(o != NULL, "success without a document");
        FUZZ_CHECK(depth(o) <= BERTH_JSON_MAX_DEPTH, "nesting %d over the limit", depth(o));
        char *text = json_dup_string(o);
        FUZZ_CHECK(text, "out of memory");
        json_object *again = NULL;
        FUZZ_CHECK(json_parse_limited(&again, text, strlen(text), "again") == 0,
                   "serialised form does not parse: %.200s", text);
        FUZZ_CHECK(json_object_equal(o, again), "round trip changed the document: %.200s", text);
        json_object_put(again);
        free(text);
        (void)json_str(o, "mediaType");
        (void)json_int(o, "schemaVersion", 0);
        (void)json_obj(o, "config");
        (void)json_arr(o, "layers");
    }
    json_object_put(o);
    free(copy);
    return 0;
}
