/* Restart policies: the parser and docker's restart-manager rules (see restart.h). */
#include "container/restart.h"
#include "core/error.h"
#include "core/json.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = { "no", "on-failure", "always", "unless-stopped" };

int restart_policy_parse(restart_policy *out, const char *text)
{
    out->kind = RESTART_NO;
    out->max_retries = 0;
    if (!text || !*text)
        return 0;
    const char *colon = strchr(text, ':');
    size_t nlen = colon ? (size_t)(colon - text) : strlen(text);
    int kind = -1;
    for (int k = 0; k < 4; k++)
        if (strlen(kind_names[k]) == nlen && strncmp(text, kind_names[k], nlen) == 0)
            kind = k;
    if (kind < 0)
        return berth_fail(BERTH_EINVAL, "restart policy \"%s\": use no, on-failure[:max-retries], always or unless-stopped", text);
    if (colon && kind != RESTART_ON_FAILURE)
        return berth_fail(BERTH_EINVAL, "restart policy \"%s\": a maximum retry count goes only with on-failure (on-failure:3)", text);
    if (colon) {
        const char *n = colon + 1;
        char *end = NULL;
        errno = 0;
        long v = strtol(n, &end, 10);
        if (!*n || *end || errno || v < 0 || v > INT_MAX || (*n < '0' || *n > '9'))
            return berth_fail(BERTH_EINVAL, "restart policy \"%s\": the maximum retry count must be a whole number >= 0 (0: no limit)", text);
        out->max_retries = (int)v;
    }
    out->kind = (restart_kind)kind;
    return 0;
}

void restart_policy_format(char *buf, size_t len, const restart_policy *p)
{
    if (p->kind == RESTART_ON_FAILURE && p->max_retries > 0)
        snprintf(buf, len, "on-failure:%d", p->max_retries);
    else
        snprintf(buf, len, "%s", kind_names[p->kind]);
}

restart_policy restart_policy_of_spec(json_object *spec)
{
    restart_policy p = { RESTART_NO, 0 };
    if (restart_policy_parse(&p, json_str(spec, "restart_policy")) != 0) {
        berth_error_clear();
        p.kind = RESTART_NO;
        p.max_retries = 0;
    }
    return p;
}

restart_policy restart_policy_of_stored(const char *spec_text, restart_policy fallback)
{
    json_object *spec = NULL;
    if (spec_text && json_parse_limited(&spec, spec_text, strlen(spec_text), "stored container spec") == 0)
        fallback = restart_policy_of_spec(spec);
    berth_error_clear();
    json_object_put(spec);
    return fallback;
}

int restart_after_exit(const restart_policy *p, int exit_code, int manual_stop, int restart_count)
{
    if (manual_stop)
        return 0;
    switch (p->kind) {
    case RESTART_ALWAYS:
    case RESTART_UNLESS_STOPPED:
        return 1;
    case RESTART_ON_FAILURE:
        return exit_code != 0 && (p->max_retries == 0 || restart_count < p->max_retries);
    default:
        return 0;
    }
}

int restart_at_boot(const restart_policy *p, int exit_code, int manual_stop, int restart_count)
{
    if (p->kind == RESTART_ALWAYS)
        return 1;
    return restart_after_exit(p, exit_code, manual_stop, restart_count);
}

int64_t restart_backoff_ms(int64_t previous_ms, int64_t ran_ms)
{
    if (ran_ms >= RESTART_BACKOFF_RESET_MS || previous_ms <= 0)
        return RESTART_BACKOFF_FIRST_MS;
    if (previous_ms >= RESTART_BACKOFF_MAX_MS / 2)
        return RESTART_BACKOFF_MAX_MS;
    return previous_ms * 2;
}

int restart_policy_apply(json_object *spec, json_object *value)
{
    restart_policy policy;
    const char *text = value && json_object_is_type(value, json_type_string) ? json_object_get_string(value) : NULL;
    if (value && !text && !json_object_is_type(value, json_type_null))
        return berth_fail(BERTH_EINVAL, "restart_policy: give a string (no, on-failure[:max-retries], always, unless-stopped)");
    int rc = restart_policy_parse(&policy, text);
    if (rc)
        return rc;
    json_object *ar;
    int auto_remove = json_object_object_get_ex(spec, "auto_remove", &ar) && json_object_get_boolean(ar);
    if (policy.kind != RESTART_NO && auto_remove)
        return berth_fail(BERTH_EINVAL, "conflicting options: the restart policy \"%s\" and --rm (auto_remove) — a container "
                          "removed when it exits cannot be restarted; drop one of them", text);
    /* the Windows monitor (shim_win32.c) does not restart yet: refuse rather than ignore it */
    const char *os = json_str(spec, "os");
    if (policy.kind != RESTART_NO && os && strcmp(os, "windows") == 0)
        return berth_fail(BERTH_EUNSUPPORTED, "restart policy \"%s\": Windows containers cannot restart yet (the Linux runc monitor "
                          "can) — leave the policy at no", text);
    char canonical[64];
    restart_policy_format(canonical, sizeof canonical, &policy);
    json_object_object_add(spec, "restart_policy", json_object_new_string(canonical));
    return 0;
}
