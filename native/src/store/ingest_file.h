/* The operating-system half of an ingest: one open, exclusively locked file per blob being
 * written. The lock is an advisory whole-file lock (flock on POSIX, LockFileEx on Windows)
 * that works across processes and across handles in one process, so two pulls of the same
 * blob never interleave their writes. POSIX in ingest_file_posix.c. */
#ifndef BERTH_STORE_INGEST_FILE_H
#define BERTH_STORE_INGEST_FILE_H
#include <stddef.h>
#include <stdint.h>

typedef struct ingest_file ingest_file;

/* Opens (creating) path read-write and locks it without waiting. BERTH_EBUSY when another
 * handle holds the lock. Guards against the file being renamed or deleted between open and
 * lock by a committing writer: the locked file is always the one at path. */
int ingest_file_open(ingest_file **out, const char *path);
/* Creates a new, uniquely named file in dir (for a blob put: no lock needed, the name is ours). */
int ingest_file_create_temp(ingest_file **out, const char *dir);
/* The file's current path. */
const char *ingest_file_path(const ingest_file *f);
/* Deletes the file, still holding its lock while it does, then closes it. NULL is fine. */
void ingest_file_remove(ingest_file *f);
/* Reads up to len bytes at the current position; *got is 0 at the end. */
int ingest_file_read(ingest_file *f, void *buf, size_t len, size_t *got);
int ingest_file_write(ingest_file *f, const void *data, size_t len);
/* Empties the file and rewinds. */
int ingest_file_truncate(ingest_file *f);
int ingest_file_sync(ingest_file *f);
/* Size of the file as it is on disk. */
int64_t ingest_file_size(ingest_file *f);
/* Releases the lock and closes. NULL is fine. */
void ingest_file_close(ingest_file *f);

#endif
