#include "core/thread.h"
#include "core/error.h"

static DWORD WINAPI trampoline(LPVOID p)
{
    berth_thread *t = p;
    t->fn(t->arg);
    return 0;
}

int thread_start(berth_thread *t, void *(*fn)(void *), void *arg)
{
    t->fn = fn;
    t->arg = arg;
    t->h = CreateThread(NULL, 0, trampoline, t, 0, NULL);
    return t->h ? 0 : berth_fail(BERTH_ERROR, "start a worker thread: Windows error %lu", (unsigned long)GetLastError());
}

void thread_join(berth_thread *t)
{
    WaitForSingleObject(t->h, INFINITE);
    CloseHandle(t->h);
}

void mutex_init(berth_mutex *m) { InitializeSRWLock(m); }
void mutex_destroy(berth_mutex *m) { (void)m; }
void mutex_lock(berth_mutex *m) { AcquireSRWLockExclusive(m); }
void mutex_unlock(berth_mutex *m) { ReleaseSRWLockExclusive(m); }
void cond_init(berth_cond *c) { InitializeConditionVariable(c); }
void cond_destroy(berth_cond *c) { (void)c; }
void cond_broadcast(berth_cond *c) { WakeAllConditionVariable(c); }
void cond_wait_ms(berth_cond *c, berth_mutex *m, int ms) { SleepConditionVariableSRW(c, m, (DWORD)ms, 0); }
