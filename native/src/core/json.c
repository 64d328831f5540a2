#include "core/json.h"
#include "core/error.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Whether o holds a NaN or an infinity anywhere (json-c reads "NaN", "Infinity" and 1e999
 * even in strict mode; JSON has no such numbers). Depth is bounded by the tokener's limit. */
static int has_non_finite(json_object *o)
{
    switch (json_object_get_type(o)) {
    case json_type_double:
        return !isfinite(json_object_get_double(o));
    case json_type_array:
        for (size_t i = 0; i < json_object_array_length(o); i++)
            if (has_non_finite(json_object_array_get_idx(o, i)))
                return 1;
        return 0;
    case json_type_object: {
        json_object_object_foreach(o, k, v) {
            (void)k;
            if (has_non_finite(v))
                return 1;
        }
        return 0;
    }
    default:
        return 0;
    }
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_xdigit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* What json-c's strict mode still lets through and encoding/json refuses: control characters
 * and unknown escapes inside strings, and numbers that are not RFC 8259 numbers ("1.", "-01",
 * "0.e1"). One pass over the bytes before the parser: the offset of the first offence (why set),
 * or -1. Structure and literals are left to json-c. */
static long lexical_offence(const char *d, size_t n, const char **why)
{
    size_t i = 0;
    while (i < n) {
        char c = d[i];
        if (c == '"') {
            for (i++; i < n && d[i] != '"'; i++) {
                if ((unsigned char)d[i] < 0x20) {
                    *why = "a control character inside a string (write it as an escape)";
                    return (long)i;
                }
                if (d[i] != '\\' || ++i >= n)
                    continue;
                if (d[i] == 'u') {
                    for (int k = 1; k <= 4; k++)
                        if (i + (size_t)k >= n || !is_xdigit(d[i + (size_t)k])) {
                            *why = "a \\u escape without four hex digits";
                            return (long)i;
                        }
                    i += 4;
                } else if (!d[i] || !strchr("\"\\/bfnrt", d[i])) {
                    *why = "an unknown escape in a string";
                    return (long)i;
                }
            }
            i++;
            continue;
        }
        if (c == '-' || is_digit(c)) {
            size_t start = i;
            if (d[i] == '-')
                i++;
            if (i < n && d[i] == '0')
                i++;
            else if (i < n && is_digit(d[i]))
                while (i < n && is_digit(d[i]))
                    i++;
            else
                continue; /* "-" alone, "-Infinity": json-c refuses them */
            if (i < n && is_digit(d[i])) {
                *why = "a number with a leading zero";
                return (long)start;
            }
            if (i < n && d[i] == '.') {
                if (++i >= n || !is_digit(d[i])) {
                    *why = "a number with no digit after its decimal point";
                    return (long)start;
                }
                while (i < n && is_digit(d[i]))
                    i++;
            }
            if (i < n && (d[i] == 'e' || d[i] == 'E')) {
                if (++i < n && (d[i] == '+' || d[i] == '-'))
                    i++;
                if (i >= n || !is_digit(d[i])) {
                    *why = "a number with an exponent but no exponent digits";
                    return (long)start;
                }
                while (i < n && is_digit(d[i]))
                    i++;
            }
            continue;
        }
        i++;
    }
    return -1;
}

int json_parse_limited(json_object **out, const char *data, size_t len, const char *what)
{
    if (len > (size_t)INT32_MAX)
        return berth_fail(BERTH_EINVAL, "%s: JSON document too large", what);
    const char *why = NULL;
    long bad = lexical_offence(data, len, &why);
    if (bad >= 0)
        return berth_fail(BERTH_EINVAL, "%s: not valid JSON (%s at byte %ld)", what, why, bad);
    json_tokener *tok = json_tokener_new_ex(BERTH_JSON_MAX_DEPTH);
    if (!tok)
        return berth_fail_oom();
    /* Strict, like the encoding/json that registries and docker use: no comments, no trailing
     * commas, no NaN/Infinity. */
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *o = json_tokener_parse_ex(tok, data, (int)len);
    enum json_tokener_error err = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (err == json_tokener_continue && end == len && len > 0) {
        /* A document that is a bare number or literal ("5", "true") ends only when the
         * tokener sees something after it: hand it the terminating NUL. */
        o = json_tokener_parse_ex(tok, "", 1);
        err = json_tokener_get_error(tok) == json_tokener_success ? json_tokener_success : json_tokener_continue;
        end = len;
    }
    int rc = 0;
    if (err != json_tokener_success) {
        rc = berth_fail(BERTH_EINVAL, "%s: not valid JSON (%s at byte %zu)", what,
                        err == json_tokener_continue ? "unexpected end" : json_tokener_error_desc(err), end);
    } else if (!o) {
        rc = berth_fail(BERTH_EINVAL, "%s: the document is JSON null, not an object", what);
    } else if (has_non_finite(o)) {
        rc = berth_fail(BERTH_EINVAL, "%s: not valid JSON (a number is NaN, Infinity or out of range)", what);
    } else {
        /* trailing whitespace is fine, anything else (a NUL byte too) is not */
        for (size_t i = end; i < len && rc == 0; i++)
            if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n')
                rc = berth_fail(BERTH_EINVAL, "%s: extra data after the JSON document (byte %zu)", what, i);
    }
    if (rc)
        json_object_put(o);
    json_tokener_free(tok);
    if (rc == 0)
        *out = o;
    return rc;
}

const char *json_str(json_object *o, const char *key)
{
    json_object *v;
    if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return NULL;
}

int64_t json_int(json_object *o, const char *key, int64_t dflt)
{
    json_object *v;
    if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int))
        return json_object_get_int64(v);
    return dflt;
}

json_object *json_obj(json_object *o, const char *key)
{
    json_object *v;
    if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_object))
        return v;
    return NULL;
}

json_object *json_arr(json_object *o, const char *key)
{
    json_object *v;
    if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_array))
        return v;
    return NULL;
}

char *json_dup_string(json_object *o)
{
    const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *p = s ? strdup(s) : NULL;
    if (!p)
        berth_fail_oom();
    return p;
}

int json_hand_out(char **out, json_object *o)
{
    char *s = json_dup_string(o);
    json_object_put(o);
    if (!s)
        return BERTH_ENOMEM;
    *out = s;
    return 0;
}
