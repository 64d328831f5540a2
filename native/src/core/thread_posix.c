#include "core/thread.h"
#include "core/error.h"
#include <errno.h>
#include <string.h>
#include <time.h>

int thread_start(berth_thread *t, void *(*fn)(void *), void *arg)
{
    int err = pthread_create(&t->t, NULL, fn, arg);
    return err ? berth_fail_errno(BERTH_ERROR, err, "start a worker thread") : 0;
}

void thread_join(berth_thread *t) { pthread_join(t->t, NULL); }
void mutex_init(berth_mutex *m) { pthread_mutex_init(m, NULL); }
void mutex_destroy(berth_mutex *m) { pthread_mutex_destroy(m); }
void mutex_lock(berth_mutex *m) { pthread_mutex_lock(m); }
void mutex_unlock(berth_mutex *m) { pthread_mutex_unlock(m); }
void cond_destroy(berth_cond *c) { pthread_cond_destroy(c); }
void cond_broadcast(berth_cond *c) { pthread_cond_broadcast(c); }

void cond_init(berth_cond *c)
{
    /* CLOCK_MONOTONIC: a wall-clock jump must not stretch or cut a wait. */
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(c, &a);
    pthread_condattr_destroy(&a);
}

void cond_wait_ms(berth_cond *c, berth_mutex *m, int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(c, m, &ts);
}
