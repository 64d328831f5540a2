/* image_progress: the progress events and the cancel flag of one registry operation (pull, push).
 *
 * The operation reports each step with image_progress_say; the registry client asks
 * image_progress_tick during blocking requests; per-blob events from the registry concern pass
 * through image_progress_relay. The first non-zero return of the caller's callback sets
 * `canceled`, and it stays set: every later check answers "cancel", so the operation unwinds to
 * BERTH_ECANCELED from wherever it is. */
#ifndef BERTH_IMAGE_PROGRESS_H
#define BERTH_IMAGE_PROGRESS_H

#include "berth.h"
#include <stdint.h>

typedef struct {
    berth_progress_fn fn;   /* NULL: nobody listens, and nothing can cancel */
    void *payload;
    const char *op;         /* "pull", "push": names the operation in the cancel message */
    const char *subject;    /* the reference the operation works on */
    long long last_tick;    /* ms, of the last image_progress_tick event */
    int canceled;
} image_progress;

/* Sends one event; BERTH_ECANCELED (with "<op> <subject>: canceled") if the callback asks to stop. */
int image_progress_say(image_progress *p, const char *phase, const char *id, uint64_t cur, uint64_t total,
                       const char *msg);

/* For registry_client_set_cancel: repeats (phase, subject, msg) at most every 250 ms so the caller
 * can cancel a blocking request. Non-zero: cancel. */
int image_progress_tick(image_progress *p, const char *phase, const char *msg);

/* Passes an event from below through to the caller. Non-zero: cancel. */
int image_progress_relay(image_progress *p, const berth_progress *ev);

#endif
