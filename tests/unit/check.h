/*
 * Minimal host unit-test helpers. Each test program counts its checks and
 * ends with the line "N passed, N failed"; tests/run adds the counts up.
 */
#ifndef VMB_TEST_CHECK_H
#define VMB_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (cond) {                                                                        \
			check_passed++;                                                            \
		} else {                                                                           \
			check_failed++;                                                            \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                     \
		}                                                                                  \
	} while (0)

#define CHECK_EQ_U(a, b)                                                                           \
	do {                                                                                       \
		unsigned long long va_ = (a), vb_ = (b);                                           \
		if (va_ == vb_) {                                                                  \
			check_passed++;                                                            \
		} else {                                                                           \
			check_failed++;                                                            \
			printf("FAIL %s:%d: %s == %s (%llu != %llu)\n", __FILE__, __LINE__, #a,    \
			       #b, va_, vb_);                                                      \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *sa_ = (a), *sb_ = (b);                                                 \
		if (sa_ && sb_ && strcmp(sa_, sb_) == 0) {                                         \
			check_passed++;                                                            \
		} else {                                                                           \
			check_failed++;                                                            \
			printf("FAIL %s:%d: %s == \"%s\" (got \"%s\")\n", __FILE__, __LINE__, #a,  \
			       sb_ ? sb_ : "(null)", sa_ ? sa_ : "(null)");                        \
		}                                                                                  \
	} while (0)

static inline int check_report(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
