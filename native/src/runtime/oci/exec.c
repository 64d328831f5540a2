/* berth exec: `runc exec --process <file>` with the caller's stdio. runc passes the process's
 * exit status through; when the command cannot run, runc exits 255 and says why in its log,
 * which we map to docker's 127 (not found) and 126 (not executable). */
#include "runtime/oci/oci.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *last_error(const char *log_path)
{
    char *text = NULL, *msg = NULL;
    if (fs_read_file(&text, NULL, log_path, 1 << 20) != 0)
        return NULL;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_object *o = json_tokener_parse(line);
        const char *lv = json_str(o, "level"), *m = json_str(o, "msg");
        if (lv && m && strcmp(lv, "error") == 0) {
            free(msg);
            msg = strdup(m);
        }
        json_object_put(o);
    }
    free(text);
    return msg;
}

int oci_exec(int *exit_code, berth_t *b, const char *id, const runtime_spec *proc, int in, int out, int err)
{
    oci_user user;
    json_object *p = NULL;
    char *doc = NULL, *why = NULL, **argv = NULL;
    char tag[17], name[64], logname[64];
    unsigned char r[8];
    int rc = oci_user_resolve(&user, proc->user, proc->layers, proc->n_layers);
    if (rc)
        return berth_wrap(rc, "exec in container %.12s", id);
    if (RAND_bytes(r, sizeof r) != 1)
        return berth_fail(BERTH_ERROR, "exec: no random bytes");
    for (int i = 0; i < 8; i++)
        snprintf(tag + 2 * i, 3, "%02x", r[i]);
    snprintf(name, sizeof name, "exec-%s.json", tag);
    snprintf(logname, sizeof logname, "exec-%s.log", tag);
    char *file = oci_bundle_path(b, id, name), *log = oci_bundle_path(b, id, logname);
    if (!file || !log) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    p = oci_process_json(proc, &user);
    if (!(doc = json_dup_string(p))) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    if ((rc = fs_write_atomic(file, doc, strlen(doc), 0600)) != 0)
        goto out;
    const char *args[] = { "--log", log, "--log-format", "json", "exec", "--process", file, id, NULL };
    if (!(argv = oci_runc_argv(b, args))) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    int status = 0;
    if ((rc = oci_run(&status, argv, in, out, err, NULL)) != 0)
        goto out;
    *exit_code = status;
    if (status == 255 && (why = last_error(log)) != NULL) {
        int code = oci_exec_failure_code(why);
        if (code == 125 && strstr(why, "not running"))
            rc = berth_fail(BERTH_ESTATE, "exec in container %.12s: it is not running", id);
        else if (code != 125)
            *exit_code = code;
        else
            rc = berth_fail(BERTH_ERROR, "exec in container %.12s: %s", id, why);
    }
out:
    if (file)
        unlink(file);
    if (log)
        unlink(log);
    free(file);
    free(log);
    free(doc);
    free(why);
    oci_argv_free(argv);
    json_object_put(p);
    return rc;
}
