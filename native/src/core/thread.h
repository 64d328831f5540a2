/* Threads, mutexes and condition variables: the few the library needs (the pull unpacks
 * layers on worker threads while other layers download). POSIX in thread_posix.c, Windows in
 * thread_win32.c. Objects are embedded in the caller's struct; nothing is process-wide. */
#ifndef BERTH_CORE_THREAD_H
#define BERTH_CORE_THREAD_H

#ifdef _WIN32
#  include <windows.h>
typedef struct { HANDLE h; void *(*fn)(void *); void *arg; } berth_thread;
typedef SRWLOCK berth_mutex;
typedef CONDITION_VARIABLE berth_cond;
#else
#  include <pthread.h>
typedef struct { pthread_t t; } berth_thread;
typedef pthread_mutex_t berth_mutex;
typedef pthread_cond_t berth_cond;
#endif

int thread_start(berth_thread *t, void *(*fn)(void *), void *arg);
void thread_join(berth_thread *t);
void mutex_init(berth_mutex *m);
void mutex_destroy(berth_mutex *m);
void mutex_lock(berth_mutex *m);
void mutex_unlock(berth_mutex *m);
void cond_init(berth_cond *c);
void cond_destroy(berth_cond *c);
void cond_broadcast(berth_cond *c);
/* Waits at most ms milliseconds (spurious wake-ups allowed: callers re-check their state). */
void cond_wait_ms(berth_cond *c, berth_mutex *m, int ms);

#endif
