/* JSON helpers over json-c. Everything parsed from outside goes through json_parse_limited,
 * which caps size and nesting so a hostile manifest cannot exhaust memory or the stack. */
#ifndef BERTH_CORE_JSON_H
#define BERTH_CORE_JSON_H
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#define BERTH_JSON_MAX_DEPTH 64

/* Parses len bytes (not NUL-terminated is fine) as strict JSON, like Go's encoding/json: no
 * comments, trailing commas, NaN/Infinity or out-of-range numbers, nothing but whitespace after
 * the value; a bare number or literal is a whole document, JSON null is refused. BERTH_EINVAL
 * naming what with the parser's reason. */
int json_parse_limited(json_object **out, const char *data, size_t len, const char *what);
/* Field accessors: NULL / dflt when missing or of another type. */
const char *json_str(json_object *o, const char *key);
int64_t json_int(json_object *o, const char *key, int64_t dflt);
json_object *json_obj(json_object *o, const char *key);
json_object *json_arr(json_object *o, const char *key);
/* Serialises compactly into a malloc'ed string (for out_json results); NULL on OOM. */
char *json_dup_string(json_object *o);
/* Sets *out to json_dup_string(o) and releases o; BERTH_ENOMEM on failure. */
int json_hand_out(char **out, json_object *o);

#endif
