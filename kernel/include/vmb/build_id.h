/*
 * The image's build identity, for the boot record's provenance: written
 * at build time by tools/gen-build-id into build/gen/ (one unit per
 * architecture, rewritten only when it changes).
 */
#ifndef VMB_BUILD_ID_H
#define VMB_BUILD_ID_H

/* Short git hash of the sources, "-dirty" appended when they differ from
 * it; "unknown" for a build outside git. */
extern const char vmb_build_commit[];
/* The compiler flags that change the figures: -O, -march/-mcpu, -D. */
extern const char vmb_build_flags[];

#endif
