/* Reading what HCS and HNS answer, and writing the small documents the Windows calls take
 * (layer data, HNS queries) — portable, so the *_win32.c files stay free of json-c and these
 * are unit-tested on Linux. */
#include "runtime/hcs/hcs.h"
#include "core/error.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESULT_MAX (4u << 20)   /* a result document larger than this is not one we asked for */

int hcs_result_message(char *out, size_t len, const char *json)
{
    json_object *o = NULL;
    out[0] = '\0';
    if (!json || !*json || strlen(json) > RESULT_MAX)
        return 0;
    if (json_parse_limited(&o, json, strlen(json), "HCS result") != 0) {
        berth_error_clear();
        snprintf(out, len, "%.200s", json);   /* not JSON: show the start of it as it is */
        return 1;
    }
    const char *msg = json_str(o, "ErrorMessage");
    if (!msg)
        msg = json_str(o, "Error");
    size_t n = 0;
    if (msg)
        n = (size_t)snprintf(out, len, "%s", msg);
    /* ErrorEvents[].Message carry the detail (which file, which layer) */
    json_object *ev = json_arr(o, "ErrorEvents");
    for (size_t i = 0; ev && i < json_object_array_length(ev) && n + 4 < len; i++) {
        const char *m = json_str(json_object_array_get_idx(ev, i), "Message");
        if (m && (!msg || !strstr(msg, m)))
            n += (size_t)snprintf(out + n, len - n, "%s%s", n ? "; " : "", m);
    }
    json_object_put(o);
    return out[0] != '\0';
}

int hcs_enum_parse(hcs_system_info **out, size_t *n_out, const char *json)
{
    *out = NULL;
    *n_out = 0;
    json_object *o = NULL;
    int rc = json_parse_limited(&o, json ? json : "", json ? strlen(json) : 0, "HcsEnumerateComputeSystems result");
    if (rc)
        return rc;
    if (!json_object_is_type(o, json_type_array)) {
        json_object_put(o);
        return berth_fail(BERTH_EINVAL, "HcsEnumerateComputeSystems result: not a JSON array");
    }
    size_t n = json_object_array_length(o);
    hcs_system_info *v = calloc(n ? n : 1, sizeof *v);
    if (!v) {
        json_object_put(o);
        return berth_fail_oom();
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(o, i);
        const char *id = json_str(e, "Id");
        if (!id || strlen(id) >= sizeof v[k].id)
            continue;   /* not one of ours: our ids are short */
        snprintf(v[k].id, sizeof v[k].id, "%s", id);
        snprintf(v[k].owner, sizeof v[k].owner, "%s", json_str(e, "Owner") ? json_str(e, "Owner") : "");
        snprintf(v[k].state, sizeof v[k].state, "%s", json_str(e, "State") ? json_str(e, "State") : "");
        snprintf(v[k].system_type, sizeof v[k].system_type, "%s",
                 json_str(e, "SystemType") ? json_str(e, "SystemType") : "");
        k++;
    }
    json_object_put(o);
    *out = v;
    *n_out = k;
    return 0;
}

int hcs_layer_data(char **out, const char *const *ids, const char *const *paths, size_t n)
{
    /* computestorage.LayerData{SchemaVersion, Layers []hcsschema.Layer}, newest layer first */
    json_object *d = json_object_new_object(), *v = json_object_new_object(), *a = json_object_new_array();
    int rc = (d && v && a) ? 0 : BERTH_ENOMEM;
    if (rc == 0) {
        json_object_object_add(v, "Major", json_object_new_int(2));
        json_object_object_add(v, "Minor", json_object_new_int(1));
        json_object_object_add(d, "SchemaVersion", v);
        v = NULL;
        for (size_t i = 0; i < n && rc == 0; i++) {
            json_object *l = json_object_new_object();
            if (!l || !ids[i] || !paths[i]) {
                json_object_put(l);
                rc = ids[i] && paths[i] ? BERTH_ENOMEM : berth_fail(BERTH_EINVAL, "layer data: layer %zu has no id or path", i);
                break;
            }
            json_object_object_add(l, "Id", json_object_new_string(ids[i]));
            json_object_object_add(l, "Path", json_object_new_string(paths[i]));
            json_object_array_add(a, l);
        }
        json_object_object_add(d, "Layers", a);
        a = NULL;
    }
    json_object_put(v);
    json_object_put(a);
    if (rc == BERTH_ENOMEM) {
        json_object_put(d);
        return berth_fail_oom();
    }
    if (rc) {
        json_object_put(d);
        return rc;
    }
    return json_hand_out(out, d);
}

int hcn_network_query(char **out, const char *name)
{
    /* hcn.HostComputeQuery{SchemaVersion 2.0, Flags None, Filter: {"Name": name} as a string},
     * as hcn.GetNetworkByName builds it; the answer is a list of network ids. */
    json_object *f = json_object_new_object(), *q = json_object_new_object(), *v = json_object_new_object();
    if (!f || !q || !v) {
        json_object_put(f);
        json_object_put(q);
        json_object_put(v);
        return berth_fail_oom();
    }
    json_object_object_add(f, "Name", json_object_new_string(name ? name : "nat"));
    char *filter = json_dup_string(f);
    json_object_put(f);
    if (!filter) {
        json_object_put(q);
        json_object_put(v);
        return BERTH_ENOMEM;
    }
    json_object_object_add(v, "Major", json_object_new_int(2));
    json_object_object_add(v, "Minor", json_object_new_int(0));
    json_object_object_add(q, "SchemaVersion", v);
    json_object_object_add(q, "Filter", json_object_new_string(filter));
    free(filter);
    return json_hand_out(out, q);
}

int hcn_first_id(char *out, const char *json, const char *what)
{
    json_object *o = NULL;
    int rc = json_parse_limited(&o, json ? json : "", json ? strlen(json) : 0, what);
    if (rc)
        return rc;
    const char *id = NULL;
    if (json_object_is_type(o, json_type_array) && json_object_array_length(o) > 0) {
        json_object *e = json_object_array_get_idx(o, 0);
        id = json_object_is_type(e, json_type_string) ? json_object_get_string(e) : json_str(e, "ID");
    }
    unsigned char g[16];
    if (!id) {
        rc = berth_fail(BERTH_ENOTFOUND, "%s: no such network", what);
    } else if (hcs_guid_parse(g, id) != 0) {
        rc = berth_fail(BERTH_EINVAL, "%s: \"%s\" is not a network id", what, id);
    } else {
        snprintf(out, HCS_GUID_LEN + 1, "%s", id[0] == '{' ? id + 1 : id);
        for (char *p = out; *p; p++)
            if (*p >= 'A' && *p <= 'F')
                *p = (char)(*p - 'A' + 'a');
    }
    json_object_put(o);
    return rc;
}

int hcs_enum_query(char **out, const char *id, const char *owner)
{
    /* hcsschema SystemQuery: {"Ids": [...], "Owners": [...]} */
    json_object *q = json_object_new_object();
    if (!q)
        return berth_fail_oom();
    if (id && *id) {
        json_object *a = json_object_new_array();
        if (a)
            json_object_array_add(a, json_object_new_string(id));
        json_object_object_add(q, "Ids", a);
    }
    if (owner && *owner) {
        json_object *a = json_object_new_array();
        if (a)
            json_object_array_add(a, json_object_new_string(owner));
        json_object_object_add(q, "Owners", a);
    }
    return json_hand_out(out, q);
}

int hcs_exit_code(int *out, const char *json)
{
    /* HcsWaitForProcessExit / HcsEventProcessExited: hcsschema ProcessStatus {"ExitCode": n} */
    json_object *o = NULL;
    int rc = json_parse_limited(&o, json ? json : "", json ? strlen(json) : 0, "process exit status");
    if (rc)
        return rc;
    json_object *v;
    if (!json_object_object_get_ex(o, "ExitCode", &v) || !json_object_is_type(v, json_type_int)) {
        json_object_put(o);
        return berth_fail(BERTH_EINVAL, "process exit status: no ExitCode in %.120s", json);
    }
    /* Windows exit codes are 32-bit unsigned (0xC0000005 for an access violation) */
    *out = (int)(uint32_t)json_object_get_int64(v);
    json_object_put(o);
    return 0;
}

int hcs_log_line(char **out, const char *stream, const char *time, const char *data, size_t len)
{
    /* one JSON line per chunk, as docker's json-file driver writes: {"log","stream","time"} */
    json_object *o = json_object_new_object();
    json_object *l = json_object_new_string_len(data ? data : "", (int)(len > INT32_MAX ? INT32_MAX : len));
    if (!o || !l) {
        json_object_put(o);
        json_object_put(l);
        return berth_fail_oom();
    }
    json_object_object_add(o, "log", l);
    json_object_object_add(o, "stream", json_object_new_string(stream));
    json_object_object_add(o, "time", json_object_new_string(time));
    char *s = json_dup_string(o);
    json_object_put(o);
    if (!s)
        return BERTH_ENOMEM;
    size_t n = strlen(s);
    char *p = realloc(s, n + 2);
    if (!p) {
        free(s);
        return berth_fail_oom();
    }
    p[n] = '\n';
    p[n + 1] = '\0';
    *out = p;
    return 0;
}

int hcs_hresult_code(uint32_t hr)
{
    /* HRESULT_FROM_WIN32(e) = 0x80070000 | e; HCS_E_* as hcsshim's internal/hcs/errors.go */
    switch (hr) {
    case 0x80070002u:   /* ERROR_FILE_NOT_FOUND */
    case 0x80070003u:   /* ERROR_PATH_NOT_FOUND */
    case 0x80070490u:   /* ERROR_NOT_FOUND */
    case 0xC037010Eu:   /* HCS_E_SYSTEM_NOT_FOUND */
        return BERTH_ENOTFOUND;
    case 0x800700B7u:   /* ERROR_ALREADY_EXISTS */
    case 0xC037010Fu:   /* HCS_E_SYSTEM_ALREADY_EXISTS */
        return BERTH_EEXISTS;
    case 0xC0370110u:   /* HCS_E_SYSTEM_ALREADY_STOPPED */
    case 0x80370110u:
        return BERTH_ESTATE;
    case 0x80070005u:   /* ERROR_ACCESS_DENIED */
        return BERTH_ERROR;
    case 0x80070032u:   /* ERROR_NOT_SUPPORTED */
    case 0x80004001u:   /* E_NOTIMPL */
        return BERTH_EUNSUPPORTED;
    default:
        return BERTH_ERROR;
    }
}
