#include "core/json.h"
#include "core/error.h"
#include <stdlib.h>
#include <string.h>

int json_parse_limited(json_object **out, const char *data, size_t len, const char *what)
{
    if (len > (size_t)INT32_MAX)
        return berth_fail(BERTH_EINVAL, "%s: JSON document too large", what);
    json_tokener *tok = json_tokener_new_ex(BERTH_JSON_MAX_DEPTH);
    if (!tok)
        return berth_fail_oom();
    json_object *o = json_tokener_parse_ex(tok, data, (int)len);
    enum json_tokener_error err = json_tokener_get_error(tok);
    int rc = 0;
    if (err != json_tokener_success || !o) {
        rc = berth_fail(BERTH_EINVAL, "%s: not valid JSON (%s)", what,
                        err == json_tokener_continue ? "unexpected end" : json_tokener_error_desc(err));
        json_object_put(o);
    } else if (json_tokener_get_parse_end(tok) < len) {
        /* trailing whitespace is fine, anything else is not */
        for (size_t i = json_tokener_get_parse_end(tok); i < len && rc == 0; i++)
            if (!strchr(" \t\r\n", data[i]))
                rc = berth_fail(BERTH_EINVAL, "%s: extra data after the JSON document", what);
        if (rc)
            json_object_put(o);
    }
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
