/* Lists the entries of one directory (not recursive; "." and ".." skipped), calling fn for
 * each name; a non-zero return from fn stops the walk and is returned. A missing directory is
 * an empty one. POSIX in dir_walk_posix.c. */
#ifndef BERTH_STORE_DIR_WALK_H
#define BERTH_STORE_DIR_WALK_H

typedef int (*dir_walk_fn)(const char *name, void *payload);
int dir_walk(const char *dir, dir_walk_fn fn, void *payload);

#endif
