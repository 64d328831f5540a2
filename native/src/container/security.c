/* The security options of a create request (docker's --security-opt, --cap-add, --cap-drop,
 * --privileged) resolved into the stored spec's "security" object: the effective capability
 * set, the seccomp mode and, for a custom profile, the profile itself in the OCI shape (read
 * once here, so a start never needs the file again and a bad file fails the create). */
#include "container/container.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include "runtime/oci/security.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <sys/utsname.h>
#endif

static int apparmor_enabled(void)
{
    char *s = NULL;
    if (fs_read_file(&s, NULL, "/sys/module/apparmor/parameters/enabled", 64) != 0) {
        berth_error_clear();
        return 0;
    }
    int on = s[0] == 'Y';
    free(s);
    return on;
}

/* The capabilities this process may hand on (its bounding set); all when unknown. */
static unsigned long long host_caps(void)
{
    char *s = NULL;
    unsigned long long mask = ~0ULL;
    if (fs_read_file(&s, NULL, "/proc/self/status", 64 << 10) != 0) {
        berth_error_clear();
        return mask;
    }
    const char *l = strstr(s, "\nCapBnd:");
    if (l)
        mask = strtoull(l + 8, NULL, 16);
    free(s);
    return mask;
}

static int is_true(const char *v, int *out)
{
    if (!v || strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
        *out = 1;
    else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
        *out = 0;
    else
        return -1;
    return 0;
}

static json_object *normalized(json_object *list)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        char cap[72];
        if (sec_cap_normalize(cap, sizeof cap, json_object_get_string(json_object_array_get_idx(list, i))) == 0)
            json_object_array_add(a, json_object_new_string(cap));
    }
    return a;
}

static int read_profile(json_object **out, const char *file, json_object *caps)
{
    char *text = NULL;
    size_t len = 0;
    const char *kernel = NULL;
#ifndef _WIN32
    struct utsname u;
    if (uname(&u) == 0)
        kernel = u.release;
#endif
    int rc = fs_read_file(&text, &len, file, SEC_SECCOMP_MAX + 1);
    if (rc)
        return berth_wrap(rc, "seccomp profile %s: cannot read it (give the path of a JSON profile, or seccomp=unconfined)", file);
    rc = sec_seccomp_convert(out, text, len, file, caps, sec_host_arch(), kernel);
    free(text);
    return rc;
}

int container_security_resolve(json_object *spec, json_object *req)
{
    json_object *opts = json_arr(req, "security_opt"), *add = json_arr(req, "cap_add"), *drop = json_arr(req, "cap_drop"), *v;
    int privileged = json_object_object_get_ex(req, "privileged", &v) && json_object_get_boolean(v);
    const char *os = json_str(spec, "os");
    if (os && strcmp(os, "windows") == 0) {
        if (privileged || (opts && json_object_array_length(opts)) || (add && json_object_array_length(add)) ||
            (drop && json_object_array_length(drop)))
            return berth_fail(BERTH_EINVAL, "--privileged, --cap-add, --cap-drop and --security-opt are Linux container options; "
                              "leave them out for a Windows image");
        return 0;
    }
    int nnp = 0, systempaths = 1, rc = 0;
    const char *seccomp = "default", *file = NULL, *apparmor = NULL;
    for (size_t i = 0; opts && i < json_object_array_length(opts); i++) {
        const char *o = json_object_get_string(json_object_array_get_idx(opts, i));
        char key[64];
        size_t kl = o ? strcspn(o, "=:") : 0;
        if (!o || kl == 0 || kl >= sizeof key)
            return berth_fail(BERTH_EINVAL, "security option \"%.60s\": expected KEY=VALUE (seccomp=…, apparmor=…, no-new-privileges)",
                              o ? o : "");
        memcpy(key, o, kl);
        key[kl] = '\0';
        const char *val = o[kl] ? o + kl + 1 : NULL;
        if (strcmp(key, "no-new-privileges") == 0) {
            if (is_true(val, &nnp) != 0)
                return berth_fail(BERTH_EINVAL, "security option %s: no-new-privileges takes true or false", o);
        } else if (strcmp(key, "seccomp") == 0 && val && *val) {
            if (strcmp(val, "unconfined") == 0) {
                seccomp = "unconfined";
                file = NULL;
            } else {
                seccomp = "custom";
                file = val;
            }
        } else if (strcmp(key, "apparmor") == 0 && val && *val) {
            if (strcmp(val, "unconfined") != 0 && !apparmor_enabled())
                return berth_fail(BERTH_EINVAL, "security option %s: AppArmor is not enabled on this host, so the profile \"%s\" "
                                  "cannot be applied — leave the option out or use apparmor=unconfined", o, val);
            apparmor = val;
        } else if (strcmp(key, "systempaths") == 0 && val && strcmp(val, "unconfined") == 0) {
            systempaths = 0;
        } else if (strcmp(key, "label") == 0) {
            return berth_fail(BERTH_EINVAL, "security option %s: SELinux labels are not supported by Berth — leave the option out", o);
        } else {
            return berth_fail(BERTH_EINVAL, "security option \"%s\": Berth knows seccomp=unconfined|PROFILE.json, apparmor=unconfined|NAME, "
                              "no-new-privileges[=true|false] and systempaths=unconfined", o);
        }
    }
    json_object *caps = NULL, *profile = NULL;
    if ((rc = sec_caps_resolve(&caps, add, drop, privileged, host_caps())) != 0)
        return rc;
    if (privileged) {           /* docker: a privileged container runs without seccomp and AppArmor */
        seccomp = "unconfined";
        file = NULL;
        apparmor = "unconfined";
        systempaths = 0;
    }
    if (file && (rc = read_profile(&profile, file, caps)) != 0) {
        json_object_put(caps);
        return rc;
    }
    json_object *s = json_object_new_object();
    json_object_object_add(s, "privileged", json_object_new_boolean(privileged));
    json_object_object_add(s, "no_new_privileges", json_object_new_boolean(nnp));
    json_object_object_add(s, "cap_add", normalized(add));
    json_object_object_add(s, "cap_drop", normalized(drop));
    json_object_object_add(s, "capabilities", caps);
    json_object_object_add(s, "seccomp", json_object_new_string(seccomp));
    if (file)
        json_object_object_add(s, "seccomp_file", json_object_new_string(file));
    if (profile)
        json_object_object_add(s, "seccomp_profile", profile);
    json_object_object_add(s, "apparmor", apparmor ? json_object_new_string(apparmor) : NULL);
    json_object_object_add(s, "masked_paths", json_object_new_boolean(systempaths));
    json_object_object_add(spec, "security", s);
    return 0;
}
