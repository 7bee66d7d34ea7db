/*
 * LAVA job-log lines to console lines (tools/vmbreport/lavalog.c). The
 * entries below are what lava_common's dump() and the dispatcher's shell
 * logger wrote for the console lines in the comments (LAVA 2023.01).
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "lavalog.h"

static void expect(const char *entry, enum lava_line kind, const char *text)
{
	char line[1024];

	snprintf(line, sizeof(line), "%s", entry);
	enum lava_line got = lava_unwrap(line, sizeof(line));
	CHECK_EQ_U(got, kind);
	if (got != kind)
		printf("  entry: %s\n", entry);
	if (text) {
		CHECK_STR(line, text);
		if (strcmp(line, text))
			printf("  got: %s\n  want: %s\n", line, text);
	}
}

static void test_target(void)
{
	/* VMB {"t":"boot","v":4,"emulation":"CPU model \"QEMU\"","cpu":"café \\ x<TAB>y<U+2028>"}
	 */
	expect("{\"dt\": \"2026-12-07T19:00:00.123456\", \"lvl\": \"target\", \"msg\": \"VMB "
	       "{\\\\\\\"t\\\\\\\":\\\\\\\"boot\\\\\\\",\\\\\\\"v\\\\\\\":4,"
	       "\\\\\\\"emulation\\\\\\\":"
	       "\\\\\\\"CPU model "
	       "\\\\\\\\\\\"QEMU\\\\\\\\\\\"\\\\\\\",\\\\\\\"cpu\\\\\\\":\\\\\\\"caf"
	       "\\xE9 \\\\\\\\ x\\ty\\L\\\\\\\"}\"}",
	       LAVA_TARGET,
	       "VMB {\"t\":\"boot\",\"v\":4,\"emulation\":\"CPU model \\\"QEMU\\\"\",\"cpu\":\"caf"
	       "\xc3\xa9 \\\\ x\ty\xe2\x80\xa8\"}");
	/* The same in a log downloaded from a server: "- " before each entry. */
	expect("- {\"dt\": \"2026-12-07T19:00:00.123456\", \"lvl\": \"target\", \"msg\": \"null  "
	       "cycles ...\"}",
	       LAVA_TARGET, "null  cycles ...");
	expect("{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"\"}", LAVA_TARGET, "");
	/* Escapes YAML has for what a console may send. */
	expect("{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": "
	       "\"a\\0b\\x01\\u00e9\\U0001F600\\_\\N\\/\"}",
	       LAVA_TARGET, "ab\x01\xc3\xa9\xf0\x9f\x98\x80\xc2\xa0\xc2\x85/");
}

/* \L and \P stand for more bytes than they take: 70 of them before a
 * record (a real entry has 62 characters before its text). */
static void test_longer_than_written(void)
{
	char entry[2048], want[2048], line[2048];
	size_t e = 0, w = 0;

	e += (size_t)snprintf(
		entry + e, sizeof(entry) - e,
		"{\"dt\": \"2026-12-07T19:00:00.123456\", \"lvl\": \"target\", \"msg\": \"");
	for (int i = 0; i < 70; i++) {
		e += (size_t)snprintf(entry + e, sizeof(entry) - e, "%s", i % 2 ? "\\P" : "\\L");
		w += (size_t)snprintf(want + w, sizeof(want) - w, "%s",
				      i % 2 ? "\xe2\x80\xa9" : "\xe2\x80\xa8");
	}
	snprintf(entry + e, sizeof(entry) - e, "VMB {\\\\\\\"t\\\\\\\":\\\\\\\"end\\\\\\\"}\"}");
	snprintf(want + w, sizeof(want) - w, "VMB {\"t\":\"end\"}");
	expect(entry, LAVA_TARGET, want);

	/* Cut to the room given, NUL included. */
	snprintf(line, sizeof(line), "{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"abcdef\"}");
	CHECK_EQ_U(lava_unwrap(line, 4), LAVA_TARGET);
	CHECK_STR(line, "abc");
}

static void test_own(void)
{
	expect("{\"dt\": \"2026-12-07T19:00:00.123456\", \"lvl\": \"info\", \"msg\": \"Waiting for "
	       "start message: VMB {\\\\\\\"t\\\\\\\":\\\\\\\"boot\\\\\\\"\"}",
	       LAVA_OWN, NULL);
	expect("- {\"dt\": \"2026-12-07T19:00:00.123456\", \"lvl\": \"results\", \"msg\": "
	       "{\"case\": "
	       "\"null\", \"definition\": \"vmbench\", \"extra\": {\"test_case_id\": \"null\"}, "
	       "\"measurement\": \"123\", \"result\": \"pass\"}}",
	       LAVA_OWN, NULL);
	/* Another namespace's console (a second device of a multi-namespace job). */
	expect("{\"dt\": \"x\", \"lvl\": \"feedback\", \"msg\": \"VMB {}\", \"ns\": \"guest\"}",
	       LAVA_OWN, NULL);
	/* A target entry whose msg is not text is LAVA's, not a console line. */
	expect("{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": [1, 2]}", LAVA_OWN, NULL);
}

static void test_plain(void)
{
	const char *plain[] = {
		"VMB {\"t\":\"end\",\"status\":\"ok\"}",
		"- item",
		"{\"t\":\"boot\"}",
		"{\"dt\": \"x\", \"msg\": \"no level\"}",
		"{\"lvl\": \"target\", \"msg\": \"no time\"}",
		"{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"open",
		"{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"bad \\q escape\"}",
		"{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"short \\x4\"}",
		"{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"too big \\UFFFFFFFF\"}",
		"{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"x\"} trailing",
		"{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": {\"a\": [}",
		"{\"dt\": \"x\" \"lvl\": \"target\"}",
		"{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"ends in \\",
		"",
	};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		expect(plain[i], LAVA_PLAIN, plain[i]);
}

int main(void)
{
	test_target();
	test_longer_than_written();
	test_own();
	test_plain();
	return check_report("lavalog");
}
