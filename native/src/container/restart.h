/* Restart policies (docker's --restart): no, on-failure[:max-retries], always, unless-stopped.
 * Pure rules, shared by the spec (parsing), the monitor (restart after an exit, back-off) and
 * `berth system boot` (which containers run again after a reboot). */
#ifndef BERTH_CONTAINER_RESTART_H
#define BERTH_CONTAINER_RESTART_H
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { RESTART_NO, RESTART_ON_FAILURE, RESTART_ALWAYS, RESTART_UNLESS_STOPPED } restart_kind;

typedef struct {
    restart_kind kind;
    int max_retries;          /* on-failure only; 0 = no limit (docker's default) */
} restart_policy;

#define RESTART_BACKOFF_FIRST_MS 100      /* docker's restart manager: 100 ms, doubled per exit, */
#define RESTART_BACKOFF_MAX_MS 60000      /* capped at a minute, */
#define RESTART_BACKOFF_RESET_MS 10000    /* back to the start after a run of 10 s or more */

/* "no", "on-failure", "on-failure:N", "always", "unless-stopped"; NULL or "" is "no".
 * BERTH_EINVAL with a message naming the value and the accepted ones. */
int restart_policy_parse(restart_policy *out, const char *text);
/* Back to text ("on-failure:3", "always"). */
void restart_policy_format(char *buf, size_t len, const restart_policy *p);
/* The policy stored in a resolved spec ("restart_policy" text); "no" when absent or bad. */
restart_policy restart_policy_of_spec(json_object *spec);
/* The policy in a stored spec's JSON text (a container row's spec); fallback when the text
 * cannot be read. Leaves no error behind. */
restart_policy restart_policy_of_stored(const char *spec_text, restart_policy fallback);

/* Checks value (a JSON string, or NULL/null for "no") against the resolved spec (not with
 * auto_remove; not for Windows yet) and stores its canonical text as spec's "restart_policy". */
int restart_policy_apply(json_object *spec, json_object *value);

/* The monitor saw the container exit with exit_code after restart_count restarts: run it
 * again? Never after a stop, kill or removal by the user (manual_stop). */
int restart_after_exit(const restart_policy *p, int exit_code, int manual_stop, int restart_count);
/* After a reboot (or a monitor that vanished): should this stopped container run again?
 * As docker's daemon start: always (even after a user stop), unless-stopped unless the user
 * stopped it, on-failure when it failed, was not stopped by the user and has retries left. */
int restart_at_boot(const restart_policy *p, int exit_code, int manual_stop, int restart_count);
/* The delay before the next restart, given the previous delay (0 before the first) and how
 * long the run that just ended lasted. */
int64_t restart_backoff_ms(int64_t previous_ms, int64_t ran_ms);

#endif
