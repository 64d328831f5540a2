#!/usr/bin/env bash
# berth.h must compile on its own, strictly, as C11 and as C++ (the module and other callers
# include nothing else).
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '#include "berth.h"\nint main(void){ berth_pull_options o = BERTH_PULL_OPTIONS_INIT; (void)o; return 0; }\n' > "$tmp/h.c"
check "berth.h compiles alone as C11 with -Wall -Wextra -pedantic -Werror" \
  cc -std=c11 -Wall -Wextra -pedantic -Werror -Inative/include -c "$tmp/h.c" -o "$tmp/h.o"
cp "$tmp/h.c" "$tmp/h.cpp"
check "berth.h compiles alone as C++" c++ -Wall -Wextra -Werror -Inative/include -c "$tmp/h.cpp" -o "$tmp/hpp.o"
tap_done
